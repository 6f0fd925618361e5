package org.retina.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;

/**
 * The CUDA runtime and driver functions Retina calls (device memory, copies, streams, loading and launching
 * kernels), bound with {@code java.lang.foreign}. Device pointers, streams and handles travel as {@code long}.
 */
final class Cuda {
    static final int H2D = 1;
    static final int D2H = 2;
    static final int D2D = 3;

    private static volatile Cuda instance;

    private final MethodHandle getDeviceCount;
    private final MethodHandle setDevice;
    private final MethodHandle deviceGetAttribute;
    private final MethodHandle malloc;
    private final MethodHandle free;
    private final MethodHandle mallocHost;
    private final MethodHandle freeHost;
    private final MethodHandle memcpyAsync;
    private final MethodHandle memsetAsync;
    private final MethodHandle streamCreate;
    private final MethodHandle streamSynchronize;
    private final MethodHandle streamDestroy;
    private final MethodHandle cuModuleUnload;
    private final MethodHandle memGetInfo;
    private final MethodHandle getErrorString;
    private final MethodHandle runtimeGetVersion;
    private final MethodHandle cuInit;
    private final MethodHandle cuModuleLoadData;
    private final MethodHandle cuModuleGetFunction;
    private final MethodHandle cuLaunchKernel;
    private final MethodHandle cuDeviceGetName;
    private final MethodHandle cuGetErrorString;

    private Cuda() {
        Native.Library rt = Native.open("the CUDA runtime", List.of("libcudart.so.13", "libcudart.so.12",
                "libcudart.so"));
        Native.Library drv = Native.open("the CUDA driver", List.of("libcuda.so.1", "libcuda.so"));
        getDeviceCount = rt.handle("cudaGetDeviceCount", JAVA_INT, ADDRESS);
        setDevice = rt.handle("cudaSetDevice", JAVA_INT, JAVA_INT);
        deviceGetAttribute = rt.handle("cudaDeviceGetAttribute", JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
        malloc = rt.handle("cudaMalloc", JAVA_INT, ADDRESS, JAVA_LONG);
        free = rt.handle("cudaFree", JAVA_INT, JAVA_LONG);
        mallocHost = rt.handle("cudaMallocHost", JAVA_INT, ADDRESS, JAVA_LONG);
        freeHost = rt.handle("cudaFreeHost", JAVA_INT, JAVA_LONG);
        memcpyAsync = rt.handle("cudaMemcpyAsync", JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG);
        memsetAsync = rt.handle("cudaMemsetAsync", JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG);
        streamCreate = rt.handle("cudaStreamCreate", JAVA_INT, ADDRESS);
        streamSynchronize = rt.handle("cudaStreamSynchronize", JAVA_INT, JAVA_LONG);
        streamDestroy = rt.handle("cudaStreamDestroy", JAVA_INT, JAVA_LONG);
        memGetInfo = rt.handle("cudaMemGetInfo", JAVA_INT, ADDRESS, ADDRESS);
        getErrorString = rt.handle("cudaGetErrorString", ADDRESS, JAVA_INT);
        runtimeGetVersion = rt.handle("cudaRuntimeGetVersion", JAVA_INT, ADDRESS);
        cuInit = drv.handle("cuInit", JAVA_INT, JAVA_INT);
        cuModuleLoadData = drv.handle("cuModuleLoadData", JAVA_INT, ADDRESS, ADDRESS);
        cuModuleUnload = drv.handle("cuModuleUnload", JAVA_INT, JAVA_LONG);
        cuModuleGetFunction = drv.handle("cuModuleGetFunction", JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS);
        cuLaunchKernel = drv.handle("cuLaunchKernel", JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG);
        cuDeviceGetName = drv.handle("cuDeviceGetName", JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
        cuGetErrorString = drv.handle("cuGetErrorString", JAVA_INT, JAVA_INT, ADDRESS);
    }

    /** The bindings, loaded on first use. */
    static Cuda get() {
        Cuda c = instance;
        if (c == null) {
            synchronized (Cuda.class) {
                c = instance;
                if (c == null) {
                    c = new Cuda();
                    instance = c;
                }
            }
        }
        return c;
    }

    void check(int status, String call) {
        if (status != 0) {
            String text;
            try {
                text = ((MemorySegment) getErrorString.invokeExact(status)).reinterpret(256).getString(0);
            } catch (Throwable t) {
                text = "error " + status;
            }
            throw new CudaException(call + " failed: " + text + " (" + status + ")");
        }
    }

    private void checkDriver(int status, String call) {
        if (status != 0) {
            String text = "error " + status;
            try (Arena a = Arena.ofConfined()) {
                MemorySegment p = a.allocate(ADDRESS);
                if ((int) cuGetErrorString.invokeExact(status, p) == 0) {
                    text = p.get(ADDRESS, 0).reinterpret(256).getString(0);
                }
            } catch (Throwable t) {
                // keep the number
            }
            throw new CudaException(call + " failed: " + text + " (" + status + ")");
        }
    }

    private static CudaException wrap(Throwable t) {
        return t instanceof CudaException c ? c : new CudaException("native call failed: " + t);
    }

    int deviceCount() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment n = a.allocate(JAVA_INT);
            int s = (int) getDeviceCount.invokeExact(n);
            return s == 0 ? n.get(JAVA_INT, 0) : 0;
        } catch (Throwable t) {
            throw wrap(t);
        }
    }

    void setDevice(int device) {
        try {
            check((int) setDevice.invokeExact(device), "cudaSetDevice");
            checkDriver((int) cuInit.invokeExact(0), "cuInit");
        } catch (Throwable t) {
            throw wrap(t);
        }
    }

    int attribute(int attr, int device) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(JAVA_INT);
            check((int) deviceGetAttribute.invokeExact(v, attr, device), "cudaDeviceGetAttribute");
            return v.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw wrap(t);
        }
    }

    String deviceName(int device) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(256);
            checkDriver((int) cuDeviceGetName.invokeExact(v, 256, device), "cuDeviceGetName");
            return v.getString(0);
        } catch (Throwable t) {
            throw wrap(t);
        }
    }

    int runtimeVersion() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(JAVA_INT);
            check((int) runtimeGetVersion.invokeExact(v), "cudaRuntimeGetVersion");
            return v.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw wrap(t);
        }
    }

    /** {free, total} bytes of device memory. */
    long[] memInfo() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment f = a.allocate(JAVA_LONG);
            MemorySegment t = a.allocate(JAVA_LONG);
            check((int) memGetInfo.invokeExact(f, t), "cudaMemGetInfo");
            return new long[] {f.get(JAVA_LONG, 0), t.get(JAVA_LONG, 0)};
        } catch (Throwable t) {
            throw wrap(t);
        }
    }

    /** Device memory; returns 0 when the device has none left (the caller decides what to free or say). */
    long malloc(long bytes) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ADDRESS);
            int s = (int) malloc.invokeExact(p, bytes);
            if (s == 2) { // cudaErrorMemoryAllocation
                return 0;
            }
            check(s, "cudaMalloc(" + bytes + " bytes)");
            return p.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw wrap(t);
        }
    }

    void free(long ptr) {
        try {
            check((int) free.invokeExact(ptr), "cudaFree");
        } catch (Throwable t) {
            throw wrap(t);
        }
    }

    /** Page-locked host memory, which copies to and from the device run from at full speed. */
    MemorySegment mallocHost(long bytes) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ADDRESS);
            check((int) mallocHost.invokeExact(p, bytes), "cudaMallocHost(" + bytes + " bytes)");
            return p.get(ADDRESS, 0).reinterpret(bytes);
        } catch (Throwable t) {
            throw wrap(t);
        }
    }

    void freeHost(MemorySegment host) {
        try {
            check((int) freeHost.invokeExact(host.address()), "cudaFreeHost");
        } catch (Throwable t) {
            throw wrap(t);
        }
    }

    void memcpyAsync(long dst, long src, long bytes, int kind, long stream) {
        try {
            check((int) memcpyAsync.invokeExact(dst, src, bytes, kind, stream), "cudaMemcpyAsync");
        } catch (Throwable t) {
            throw wrap(t);
        }
    }

    void memsetAsync(long dst, int value, long bytes, long stream) {
        try {
            check((int) memsetAsync.invokeExact(dst, value, bytes, stream), "cudaMemsetAsync");
        } catch (Throwable t) {
            throw wrap(t);
        }
    }

    long streamCreate() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ADDRESS);
            check((int) streamCreate.invokeExact(p), "cudaStreamCreate");
            return p.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw wrap(t);
        }
    }

    void synchronize(long stream) {
        try {
            check((int) streamSynchronize.invokeExact(stream), "cudaStreamSynchronize");
        } catch (Throwable t) {
            throw wrap(t);
        }
    }

    void streamDestroy(long stream) {
        try {
            check((int) streamDestroy.invokeExact(stream), "cudaStreamDestroy");
        } catch (Throwable t) {
            throw wrap(t);
        }
    }

    void unloadModule(long module) {
        try {
            checkDriver((int) cuModuleUnload.invokeExact(module), "cuModuleUnload");
        } catch (Throwable t) {
            throw wrap(t);
        }
    }

    /** Loads a compiled module (a cubin or PTX image) into the current context. */
    long loadModule(byte[] image) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment img = a.allocate(image.length + 1L);
            MemorySegment.copy(image, 0, img, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, image.length);
            MemorySegment m = a.allocate(ADDRESS);
            checkDriver((int) cuModuleLoadData.invokeExact(m, img), "cuModuleLoadData");
            return m.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw wrap(t);
        }
    }

    long function(long module, String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment f = a.allocate(ADDRESS);
            checkDriver((int) cuModuleGetFunction.invokeExact(f, module, a.allocateFrom(name)),
                    "cuModuleGetFunction(" + name + ")");
            return f.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw wrap(t);
        }
    }

    /** Launches {@code function} on {@code stream}; {@code params} is the address of the argument pointer array. */
    void launch(long function, int grid, int block, int sharedBytes, long stream, long params, String name) {
        try {
            checkDriver((int) cuLaunchKernel.invokeExact(function, grid, 1, 1, block, 1, 1, sharedBytes, stream,
                    params, 0L), "launching " + name);
        } catch (Throwable t) {
            throw wrap(t);
        }
    }
}
