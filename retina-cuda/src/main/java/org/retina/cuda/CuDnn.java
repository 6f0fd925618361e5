package org.retina.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;

/** The cuDNN 9 functions Retina calls (its legacy descriptor API): convolutions and batch normalization. */
final class CuDnn {
    static final int FLOAT = 0;
    static final int NCHW = 0;
    static final int CROSS_CORRELATION = 1;
    static final int DEFAULT_MATH = 0;
    static final int FMA_MATH = 3;
    static final int BN_SPATIAL = 1;
    /** Bytes of one {@code cudnnConvolution*AlgoPerf_t}. */
    private static final int PERF_BYTES = 48;

    /** One algorithm's measurement from a find call. */
    record Perf(int algo, float millis, long workspace, int mathType) {
    }

    private static volatile CuDnn instance;
    private final MethodHandle create;
    private final MethodHandle destroy;
    private final MethodHandle destroyTensor;
    private final MethodHandle destroyFilter;
    private final MethodHandle destroyConv;
    private final MethodHandle setStream;
    private final MethodHandle errorString;
    private final MethodHandle version;
    private final MethodHandle createTensor;
    private final MethodHandle setTensor4d;
    private final MethodHandle createFilter;
    private final MethodHandle setFilter4d;
    private final MethodHandle createConv;
    private final MethodHandle setConv2d;
    private final MethodHandle setGroups;
    private final MethodHandle setMathType;
    private final MethodHandle findFwd;
    private final MethodHandle findBwdData;
    private final MethodHandle findBwdFilter;
    private final MethodHandle convFwd;
    private final MethodHandle convBwdData;
    private final MethodHandle convBwdFilter;
    private final MethodHandle convBwdBias;
    private final MethodHandle addTensor;
    private final MethodHandle deriveBn;
    private final MethodHandle bnFwdTrain;
    private final MethodHandle bnFwdInfer;
    private final MethodHandle bnBwd;

    private CuDnn() {
        Native.Library lib = Native.open("cuDNN 9", List.of("libcudnn.so.9", "libcudnn.so"));
        var L = JAVA_LONG;
        var I = JAVA_INT;
        var D = JAVA_DOUBLE;
        create = lib.handle("cudnnCreate", I, ADDRESS);
        destroy = lib.handle("cudnnDestroy", I, L);
        destroyTensor = lib.handle("cudnnDestroyTensorDescriptor", I, L);
        destroyFilter = lib.handle("cudnnDestroyFilterDescriptor", I, L);
        destroyConv = lib.handle("cudnnDestroyConvolutionDescriptor", I, L);
        setStream = lib.handle("cudnnSetStream", I, L, L);
        errorString = lib.handle("cudnnGetErrorString", ADDRESS, I);
        version = lib.handle("cudnnGetVersion", L);
        createTensor = lib.handle("cudnnCreateTensorDescriptor", I, ADDRESS);
        setTensor4d = lib.handle("cudnnSetTensor4dDescriptor", I, L, I, I, I, I, I, I);
        createFilter = lib.handle("cudnnCreateFilterDescriptor", I, ADDRESS);
        setFilter4d = lib.handle("cudnnSetFilter4dDescriptor", I, L, I, I, I, I, I, I);
        createConv = lib.handle("cudnnCreateConvolutionDescriptor", I, ADDRESS);
        setConv2d = lib.handle("cudnnSetConvolution2dDescriptor", I, L, I, I, I, I, I, I, I, I);
        setGroups = lib.handle("cudnnSetConvolutionGroupCount", I, L, I);
        setMathType = lib.handle("cudnnSetConvolutionMathType", I, L, I);
        findFwd = lib.handle("cudnnFindConvolutionForwardAlgorithm", I, L, L, L, L, L, I, ADDRESS, ADDRESS);
        findBwdData = lib.handle("cudnnFindConvolutionBackwardDataAlgorithm", I, L, L, L, L, L, I, ADDRESS, ADDRESS);
        findBwdFilter = lib.handle("cudnnFindConvolutionBackwardFilterAlgorithm", I, L, L, L, L, L, I, ADDRESS,
                ADDRESS);
        convFwd = lib.handle("cudnnConvolutionForward", I, L, L, L, L, L, L, L, I, L, L, L, L, L);
        convBwdData = lib.handle("cudnnConvolutionBackwardData", I, L, L, L, L, L, L, L, I, L, L, L, L, L);
        convBwdFilter = lib.handle("cudnnConvolutionBackwardFilter", I, L, L, L, L, L, L, L, I, L, L, L, L, L);
        convBwdBias = lib.handle("cudnnConvolutionBackwardBias", I, L, L, L, L, L, L, L);
        addTensor = lib.handle("cudnnAddTensor", I, L, L, L, L, L, L, L);
        deriveBn = lib.handle("cudnnDeriveBNTensorDescriptor", I, L, L, I);
        bnFwdTrain = lib.handle("cudnnBatchNormalizationForwardTraining", I, L, I, L, L, L, L, L, L, L, L, L, D, L,
                L, D, L, L);
        bnFwdInfer = lib.handle("cudnnBatchNormalizationForwardInference", I, L, I, L, L, L, L, L, L, L, L, L, L, L,
                D);
        bnBwd = lib.handle("cudnnBatchNormalizationBackward", I, L, I, L, L, L, L, L, L, L, L, L, L, L, L, L, L, D,
                L, L);
    }

    static CuDnn get() {
        CuDnn c = instance;
        if (c == null) {
            synchronized (CuDnn.class) {
                c = instance;
                if (c == null) {
                    c = new CuDnn();
                    instance = c;
                }
            }
        }
        return c;
    }

    private void check(int status, String call) {
        if (status != 0) {
            String text;
            try {
                text = ((MemorySegment) errorString.invokeExact(status)).reinterpret(256).getString(0);
            } catch (Throwable t) {
                text = "status " + status;
            }
            throw new CudaException(call + " failed: " + text + " (" + status + ")");
        }
    }

    private static CudaException wrap(Throwable t) {
        return t instanceof CudaException c ? c : new CudaException("cuDNN call failed: " + t);
    }

    long version() {
        try {
            return (long) version.invokeExact();
        } catch (Throwable t) {
            throw wrap(t);
        }
    }

    long create(long stream) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment h = a.allocate(ADDRESS);
            check((int) create.invokeExact(h), "cudnnCreate");
            long handle = h.get(JAVA_LONG, 0);
            check((int) setStream.invokeExact(handle, stream), "cudnnSetStream");
            return handle;
        } catch (Throwable t) {
            throw wrap(t);
        }
    }

    void destroy(long handle) {
        try {
            check((int) destroy.invokeExact(handle), "cudnnDestroy");
        } catch (Throwable t) {
            throw wrap(t);
        }
    }

    /** Frees tensor descriptors (also batch-norm ones); 0 is skipped. */
    void destroyTensors(long... descriptors) {
        free(destroyTensor, "cudnnDestroyTensorDescriptor", descriptors);
    }

    void destroyFilter(long descriptor) {
        free(destroyFilter, "cudnnDestroyFilterDescriptor", descriptor);
    }

    void destroyConvolutions(long... descriptors) {
        free(destroyConv, "cudnnDestroyConvolutionDescriptor", descriptors);
    }

    private void free(MethodHandle h, String call, long... descriptors) {
        try {
            for (long d : descriptors) {
                if (d != 0) {
                    check((int) h.invokeExact(d), call);
                }
            }
        } catch (Throwable t) {
            throw wrap(t);
        }
    }

    private long make(MethodHandle creator, String call) throws Throwable {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment d = a.allocate(ADDRESS);
            check((int) creator.invokeExact(d), call);
            return d.get(JAVA_LONG, 0);
        }
    }

    /** A float NCHW tensor descriptor. */
    long tensor(int n, int c, int h, int w) {
        try {
            long d = make(createTensor, "cudnnCreateTensorDescriptor");
            check((int) setTensor4d.invokeExact(d, NCHW, FLOAT, n, c, h, w),
                    "cudnnSetTensor4dDescriptor(" + n + ", " + c + ", " + h + ", " + w + ")");
            return d;
        } catch (Throwable t) {
            throw wrap(t);
        }
    }

    long filter(int k, int c, int h, int w) {
        try {
            long d = make(createFilter, "cudnnCreateFilterDescriptor");
            check((int) setFilter4d.invokeExact(d, FLOAT, NCHW, k, c, h, w), "cudnnSetFilter4dDescriptor");
            return d;
        } catch (Throwable t) {
            throw wrap(t);
        }
    }

    long convolution(int padH, int padW, int strideH, int strideW, int dilH, int dilW, int groups, int mathType) {
        try {
            long d = make(createConv, "cudnnCreateConvolutionDescriptor");
            check((int) setConv2d.invokeExact(d, padH, padW, strideH, strideW, dilH, dilW, CROSS_CORRELATION, FLOAT),
                    "cudnnSetConvolution2dDescriptor");
            check((int) setGroups.invokeExact(d, groups), "cudnnSetConvolutionGroupCount");
            check((int) setMathType.invokeExact(d, mathType), "cudnnSetConvolutionMathType");
            return d;
        } catch (Throwable t) {
            throw wrap(t);
        }
    }

    void setMathType(long conv, int mathType) {
        try {
            check((int) setMathType.invokeExact(conv, mathType), "cudnnSetConvolutionMathType");
        } catch (Throwable t) {
            throw wrap(t);
        }
    }

    /** Which of forward, backward data, backward filter a find call measures. */
    enum Pass { FORWARD, BACKWARD_DATA, BACKWARD_FILTER }

    /**
     * Runs cuDNN's algorithms for one convolution pass and returns the fastest that succeeded within
     * {@code maxWorkspace} bytes. For backward data the descriptors are (w, dy, conv, dx); for backward filter
     * (x, dy, conv, dw).
     */
    Perf find(Pass pass, long handle, long a, long b, long conv, long c, long maxWorkspace, boolean fmaOnly) {
        try (Arena arena = Arena.ofConfined()) {
            int req = 16;
            MemorySegment count = arena.allocate(JAVA_INT);
            MemorySegment perf = arena.allocate((long) PERF_BYTES * req, 8);
            MethodHandle h = switch (pass) {
                case FORWARD -> findFwd;
                case BACKWARD_DATA -> findBwdData;
                case BACKWARD_FILTER -> findBwdFilter;
            };
            check((int) h.invokeExact(handle, a, b, conv, c, req, count, perf), "cudnnFind(" + pass + ")");
            for (int i = 0; i < count.get(JAVA_INT, 0); i++) {
                long o = (long) i * PERF_BYTES;
                int status = perf.get(JAVA_INT, o + 4);
                long ws = perf.get(JAVA_LONG, o + 16);
                int math = perf.get(JAVA_INT, o + 28);
                if (status == 0 && ws <= maxWorkspace && (!fmaOnly || math != 1)) {
                    return new Perf(perf.get(JAVA_INT, o), perf.get(JAVA_FLOAT, o + 8), ws, math);
                }
            }
            throw new CudaException("cuDNN found no " + pass + " algorithm for this convolution within "
                    + maxWorkspace + " bytes of workspace");
        } catch (Throwable t) {
            throw wrap(t);
        }
    }

    void forward(long h, long alpha, long xD, long x, long wD, long w, long conv, int algo, long ws, long wsBytes,
                 long beta, long yD, long y) {
        try {
            check((int) convFwd.invokeExact(h, alpha, xD, x, wD, w, conv, algo, ws, wsBytes, beta, yD, y),
                    "cudnnConvolutionForward");
        } catch (Throwable t) {
            throw wrap(t);
        }
    }

    void backwardData(long h, long alpha, long wD, long w, long dyD, long dy, long conv, int algo, long ws,
                      long wsBytes, long beta, long dxD, long dx) {
        try {
            check((int) convBwdData.invokeExact(h, alpha, wD, w, dyD, dy, conv, algo, ws, wsBytes, beta, dxD, dx),
                    "cudnnConvolutionBackwardData");
        } catch (Throwable t) {
            throw wrap(t);
        }
    }

    void backwardFilter(long h, long alpha, long xD, long x, long dyD, long dy, long conv, int algo, long ws,
                        long wsBytes, long beta, long dwD, long dw) {
        try {
            check((int) convBwdFilter.invokeExact(h, alpha, xD, x, dyD, dy, conv, algo, ws, wsBytes, beta, dwD, dw),
                    "cudnnConvolutionBackwardFilter");
        } catch (Throwable t) {
            throw wrap(t);
        }
    }

    void backwardBias(long h, long alpha, long dyD, long dy, long beta, long dbD, long db) {
        try {
            check((int) convBwdBias.invokeExact(h, alpha, dyD, dy, beta, dbD, db), "cudnnConvolutionBackwardBias");
        } catch (Throwable t) {
            throw wrap(t);
        }
    }

    void addTensor(long h, long alpha, long aD, long a, long beta, long cD, long c) {
        try {
            check((int) addTensor.invokeExact(h, alpha, aD, a, beta, cD, c), "cudnnAddTensor");
        } catch (Throwable t) {
            throw wrap(t);
        }
    }

    /** The (1, C, 1, 1) descriptor of a batch norm's per-channel values for input {@code xD}. */
    long batchNormDescriptor(long xD) {
        try {
            long d = make(createTensor, "cudnnCreateTensorDescriptor");
            check((int) deriveBn.invokeExact(d, xD, BN_SPATIAL), "cudnnDeriveBNTensorDescriptor");
            return d;
        } catch (Throwable t) {
            throw wrap(t);
        }
    }

    void bnForwardTraining(long h, long one, long zero, long xD, long x, long yD, long y, long bnD, long scale,
                           long bias, double factor, long runMean, long runVar, double eps, long saveMean,
                           long saveInvVar) {
        try {
            check((int) bnFwdTrain.invokeExact(h, BN_SPATIAL, one, zero, xD, x, yD, y, bnD, scale, bias, factor,
                    runMean, runVar, eps, saveMean, saveInvVar), "cudnnBatchNormalizationForwardTraining");
        } catch (Throwable t) {
            throw wrap(t);
        }
    }

    void bnForwardInference(long h, long one, long zero, long xD, long x, long yD, long y, long bnD, long scale,
                            long bias, long mean, long var, double eps) {
        try {
            check((int) bnFwdInfer.invokeExact(h, BN_SPATIAL, one, zero, xD, x, yD, y, bnD, scale, bias, mean, var,
                    eps), "cudnnBatchNormalizationForwardInference");
        } catch (Throwable t) {
            throw wrap(t);
        }
    }

    void bnBackward(long h, long one, long betaData, long zero, long xD, long x, long dyD, long dy, long dxD, long dx,
                    long bnD, long scale, long dScale, long dBias, double eps, long saveMean, long saveInvVar) {
        try {
            check((int) bnBwd.invokeExact(h, BN_SPATIAL, one, betaData, one, zero, xD, x, dyD, dy, dxD, dx, bnD,
                    scale, dScale, dBias, eps, saveMean, saveInvVar), "cudnnBatchNormalizationBackward");
        } catch (Throwable t) {
            throw wrap(t);
        }
    }
}
