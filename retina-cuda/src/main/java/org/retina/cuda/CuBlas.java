package org.retina.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;

/** The cuBLAS functions Retina calls: a handle on a stream, its math mode, and single-precision GEMM. */
final class CuBlas {
    static final int OP_N = 0;
    static final int OP_T = 1;
    /** FP32 arithmetic throughout. */
    static final int PEDANTIC_MATH = 2;
    /** TF32 tensor cores allowed for FP32 products. */
    static final int TF32_TENSOR_OP_MATH = 3;
    static final int DEFAULT_MATH = 0;

    private static volatile CuBlas instance;
    private final MethodHandle create;
    private final MethodHandle destroy;
    private final MethodHandle setStream;
    private final MethodHandle setMathMode;
    private final MethodHandle sgemm;

    private CuBlas() {
        Native.Library lib = Native.open("cuBLAS", List.of("libcublas.so.13", "libcublas.so.12", "libcublas.so"));
        create = lib.handle("cublasCreate_v2", JAVA_INT, ADDRESS);
        destroy = lib.handle("cublasDestroy_v2", JAVA_INT, JAVA_LONG);
        setStream = lib.handle("cublasSetStream_v2", JAVA_INT, JAVA_LONG, JAVA_LONG);
        setMathMode = lib.handle("cublasSetMathMode", JAVA_INT, JAVA_LONG, JAVA_INT);
        sgemm = lib.handle("cublasSgemm_v2", JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT);
    }

    static CuBlas get() {
        CuBlas c = instance;
        if (c == null) {
            synchronized (CuBlas.class) {
                c = instance;
                if (c == null) {
                    c = new CuBlas();
                    instance = c;
                }
            }
        }
        return c;
    }

    private static void check(int status, String call) {
        if (status != 0) {
            String name = switch (status) {
                case 1 -> "CUBLAS_STATUS_NOT_INITIALIZED";
                case 3 -> "CUBLAS_STATUS_ALLOC_FAILED";
                case 7 -> "CUBLAS_STATUS_INVALID_VALUE";
                case 8 -> "CUBLAS_STATUS_ARCH_MISMATCH";
                case 13 -> "CUBLAS_STATUS_EXECUTION_FAILED";
                case 14 -> "CUBLAS_STATUS_INTERNAL_ERROR";
                case 15 -> "CUBLAS_STATUS_NOT_SUPPORTED";
                default -> "status " + status;
            };
            throw new CudaException(call + " failed: " + name);
        }
    }

    private static CudaException wrap(Throwable t) {
        return t instanceof CudaException c ? c : new CudaException("cuBLAS call failed: " + t);
    }

    long create(long stream, int mathMode) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment h = a.allocate(ADDRESS);
            check((int) create.invokeExact(h), "cublasCreate");
            long handle = h.get(JAVA_LONG, 0);
            check((int) setStream.invokeExact(handle, stream), "cublasSetStream");
            check((int) setMathMode.invokeExact(handle, mathMode), "cublasSetMathMode");
            return handle;
        } catch (Throwable t) {
            throw wrap(t);
        }
    }

    void destroy(long handle) {
        try {
            check((int) destroy.invokeExact(handle), "cublasDestroy");
        } catch (Throwable t) {
            throw wrap(t);
        }
    }

    /** Column-major {@code C = alpha op(A) op(B) + beta C}; {@code alpha}, {@code beta}: host float addresses. */
    void sgemm(long handle, int opA, int opB, int m, int n, int k, long alpha, long a, int lda, long b, int ldb,
               long beta, long c, int ldc) {
        try {
            check((int) sgemm.invokeExact(handle, opA, opB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc),
                    "cublasSgemm(" + m + "x" + n + "x" + k + ")");
        } catch (Throwable t) {
            throw wrap(t);
        }
    }
}
