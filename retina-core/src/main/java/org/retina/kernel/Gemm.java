package org.retina.kernel;

/**
 * Single-precision matrix product {@code C = op(A) * op(B)} (or {@code C += ...}) on row-major arrays with
 * offsets and leading dimensions, {@code op(X)} being X or its transpose.
 */
public final class Gemm {
    private Gemm() {
    }

    /**
     * {@code C[m x n] (+)= op(A)[m x k] * op(B)[k x n]}. With {@code transA}, A is stored {@code [k x m]};
     * with {@code transB}, B is stored {@code [n x k]}.
     */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float[] c, int cOff, int ldc, boolean accumulate) {
        if (!accumulate) {
            for (int i = 0; i < m; i++) {
                java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
            }
        }
        if (m == 0 || n == 0 || k == 0) {
            return;
        }
        if (transB) {
            gemmNT(transA, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
            return;
        }
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            for (int p = 0; p < k; p++) {
                float aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                if (aip == 0f) {
                    continue;
                }
                int bp = bOff + p * ldb;
                for (int j = 0; j < n; j++) {
                    c[ci + j] += aip * b[bp + j];
                }
            }
        }
    }

    private static void gemmNT(boolean transA, int m, int n, int k, float[] a, int aOff, int lda,
                               float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        float[] arow = new float[k];
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                arow[p] = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
            }
            int ci = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                int bj = bOff + j * ldb;
                float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
                int p = 0;
                for (; p + 3 < k; p += 4) {
                    s0 += arow[p] * b[bj + p];
                    s1 += arow[p + 1] * b[bj + p + 1];
                    s2 += arow[p + 2] * b[bj + p + 2];
                    s3 += arow[p + 3] * b[bj + p + 3];
                }
                for (; p < k; p++) {
                    s0 += arow[p] * b[bj + p];
                }
                c[ci + j] += (s0 + s1) + (s2 + s3);
            }
        }
    }
}
