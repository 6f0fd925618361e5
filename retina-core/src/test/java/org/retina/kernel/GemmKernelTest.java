package org.retina.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Every path of {@link Gemm} against {@link NaiveGemm} on random shapes, edge tiles, offsets and strides. */
class GemmKernelTest {

    @FunctionalInterface
    interface Impl {
        void run(boolean ta, boolean tb, int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff,
                 int ldb, float[] c, int cOff, int ldc, boolean acc);
    }

    private static void check(Impl impl, String name, int m, int n, int k, boolean ta, boolean tb, boolean acc,
                              Random rnd) {
        int aOff = rnd.nextInt(5);
        int bOff = rnd.nextInt(5);
        int cOff = rnd.nextInt(5);
        int lda = (ta ? m : k) + rnd.nextInt(3);
        int ldb = (tb ? k : n) + rnd.nextInt(3);
        int ldc = n + rnd.nextInt(3);
        float[] a = random(aOff + lda * (ta ? k : m) + 3, rnd);
        float[] b = random(bOff + ldb * (tb ? n : k) + 3, rnd);
        float[] c = random(cOff + ldc * m + 3, rnd);
        float[] want = c.clone();
        NaiveGemm.sgemm(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, want, cOff, ldc, acc);
        impl.run(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, acc);
        for (int i = 0; i < c.length; i++) {
            double tol = 1e-5 * (k + 1);
            if (!(Math.abs(c[i] - want[i]) <= tol)) {
                fail(String.format("%s m=%d n=%d k=%d ta=%b tb=%b acc=%b: [%d] got %g want %g", name, m, n, k, ta, tb,
                        acc, i, c[i], want[i]));
            }
        }
    }

    private static float[] random(int n, Random rnd) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextFloat() * 2 - 1;
        }
        return x;
    }

    private static void sweep(Impl impl, String name, int maxM, int maxN, int maxK, int cases) {
        Random rnd = new Random(42);
        for (int t = 0; t < cases; t++) {
            int m = 1 + rnd.nextInt(maxM);
            int n = 1 + rnd.nextInt(maxN);
            int k = 1 + rnd.nextInt(maxK);
            check(impl, name, m, n, k, rnd.nextBoolean(), rnd.nextBoolean(), rnd.nextBoolean(), rnd);
        }
    }

    @Test
    void blockedMatchesNaiveIncludingEdgeTiles() {
        Impl blocked = (ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, acc) ->
                Gemm.blocked(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, acc, null, 0);
        sweep(blocked, "blocked", 40, 150, 300, 120);
        // across the MC, KC and several NR boundaries
        Random rnd = new Random(7);
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                check(blocked, "blocked", Gemm.MC + 7, 2 * GemmKernel.NR + 5, Gemm.KC + 13, ta, tb, true, rnd);
            }
        }
    }

    @Test
    void smallAndScalarMatchNaive() {
        sweep(Gemm::small, "small", 20, 40, 40, 200);
        sweep(Gemm::scalar, "scalar", 20, 40, 40, 200);
    }

    @Test
    void facadeMatchesNaiveWhateverTheThreads() {
        sweep(Gemm::sgemm, "sgemm", 200, 300, 200, 30);
        Random rnd = new Random(3);
        check(Gemm::sgemm, "sgemm", 300, 17, 500, false, true, false, rnd);
    }

    @Test
    void finishingSeesEveryElementOfCOnceWithItsRowAndItsSums() {
        // split by columns (n >= m) and by rows, edge tiles, more than one block of k and of rows
        int[][] shapes = {{7, 300, 40}, {Gemm.MC + 11, 45, Gemm.KC + 9}, {13, 2 * GemmKernel.NR + 3, 5}, {1, 1, 1}};
        Random rnd = new Random(11);
        for (int[] s : shapes) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            int ldc = n + 2;
            float[] a = random(m * k, rnd);
            float[] b = random(k * n, rnd);
            float[] c = random(ldc * m + 3, rnd);
            float[] want = c.clone();
            NaiveGemm.sgemm(false, false, m, n, k, a, 0, k, b, 0, n, want, 1, ldc, false);
            Gemm.packed(false, false, m, n, k, a, 0, k, b, 0, n, c, 1, ldc, false, (row, cc, off, len) -> {
                for (int i = off; i < off + len; i++) {
                    cc[i] = cc[i] * 2 + 1000 * row;
                }
            });
            for (int i = 0; i < c.length; i++) {
                int row = (i - 1) / ldc;
                int col = (i - 1) % ldc;
                boolean inC = i >= 1 && row < m && col < n;
                float expect = inC ? want[i] * 2 + 1000 * row : want[i];
                if (!(Math.abs(c[i] - expect) <= 1e-5 * (k + 1) * 2)) {
                    fail(String.format("m=%d n=%d k=%d: [%d] got %g want %g", m, n, k, i, c[i], expect));
                }
            }
        }
    }

    @Test
    void zeroInnerDimensionClearsOrKeeps() {
        float[] c = {1, 2, 3, 4};
        Gemm.sgemm(false, false, 2, 2, 0, new float[0], 0, 1, new float[0], 0, 2, c, 0, 2, true);
        assertEquals(4f, c[3]);
        Gemm.sgemm(false, false, 2, 2, 0, new float[0], 0, 1, new float[0], 0, 2, c, 0, 2, false);
        assertEquals(0f, c[3]);
    }
}
