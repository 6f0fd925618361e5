package org.retina.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision matrix product {@code C = op(A) * op(B)} (or {@code C += ...}) on row-major arrays with
 * offsets and leading dimensions, {@code op(X)} being X or its transpose.
 *
 * <p>Large products run blocked (Goto's scheme): B in {@code KC x NC} blocks and A in {@code MC x KC} blocks are
 * packed into panels that stay in cache, and a {@code 6 x 4}-vector micro-kernel ({@link GemmKernel}) computes C
 * tile by tile. C's columns (or rows, when it has more) are split among the backend's threads; every element is
 * summed by one thread in a fixed order, so the result does not depend on the thread count. Small products run a
 * plain vector loop, and {@code -Dretina.scalar=true} (or a CPU without useful vectors) selects scalar loops.
 */
public final class Gemm {
    static final int KC = 256;
    static final int MC = 24 * GemmKernel.MR;
    static final int NC = 48 * GemmKernel.NR;
    /** Below this many multiply-adds the packing costs more than it saves. */
    static final long SMALL = 1 << 15;
    /** The least multiply-adds worth handing to another thread. */
    static final long GRAIN = 1 << 20;
    static final boolean VECTOR = GemmKernel.L >= 4 && !Boolean.getBoolean("retina.scalar");
    private static final VectorSpecies<Float> S = GemmKernel.S;
    private static final int L = GemmKernel.L;

    private Gemm() {
    }

    /**
     * What a product does to each finished run of a row of C while it is still in cache: a convolution's bias and
     * its {@link Epilogue}.
     */
    @FunctionalInterface
    interface Rows {
        /** Finishes {@code c[off, off + len)}, part of row {@code row} of C. */
        void finish(int row, float[] c, int off, int len);
    }

    /**
     * {@code C[m x n] (+)= op(A)[m x k] * op(B)[k x n]}. With {@code transA}, A is stored {@code [k x m]};
     * with {@code transB}, B is stored {@code [n x k]}. Without {@code accumulate}, C is overwritten.
     */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float[] c, int cOff, int ldc, boolean accumulate) {
        if (m <= 0 || n <= 0) {
            return;
        }
        if (k <= 0) {
            if (!accumulate) {
                for (int i = 0; i < m; i++) {
                    java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
                }
            }
            return;
        }
        product(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, true, null);
    }

    /**
     * {@link #sgemm} always through the packed register tiles, never the plain loop for small products: every
     * element of C is then summed in the same order (k in blocks of {@link #KC}) whatever the size of C and wherever
     * the element lies in it, so a column's result does not depend on the columns beside it.
     */
    static void packed(boolean transA, boolean transB, int m, int n, int k,
                       float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                       float[] c, int cOff, int ldc, boolean accumulate) {
        packed(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, null);
    }

    /** As {@link #packed}, with {@code rows} (null for none) finishing every run of C once its sums are done. */
    static void packed(boolean transA, boolean transB, int m, int n, int k,
                       float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                       float[] c, int cOff, int ldc, boolean accumulate, Rows rows) {
        if (m <= 0 || n <= 0 || k <= 0) {
            sgemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            finish(rows, m, n, c, cOff, ldc);
            return;
        }
        product(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, false, rows);
    }

    /** Finishes all of C, row by row, on this thread: where no tile loop did. */
    private static void finish(Rows rows, int m, int n, float[] c, int cOff, int ldc) {
        if (rows != null && n > 0) {
            for (int i = 0; i < m; i++) {
                rows.finish(i, c, cOff + i * ldc, n);
            }
        }
    }

    private static void product(boolean transA, boolean transB, int m, int n, int k,
                                float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                float[] c, int cOff, int ldc, boolean accumulate, boolean small, Rows rows) {
        long macs = (long) m * n * k;
        if (!VECTOR) {
            scalar(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            finish(rows, m, n, c, cOff, ldc);
            return;
        }
        if (small && (macs < SMALL || tileEfficiency(m, n) < 0.5)) {
            // a thin product would fill less than half of each register tile: loop over rows instead
            int rowGrain = (int) Math.max(1, GRAIN / Math.max(1, (long) n * k));
            Engine.current().parallelFor(m, rowGrain, (chunk, from, to) ->
                    small(transA, transB, to - from, n, k, a, transA ? aOff + from : aOff + from * lda, lda, b, bOff,
                            ldb, c, cOff + from * ldc, ldc, accumulate));
            return;
        }
        boolean byCols = n >= m;
        int unit = byCols ? GemmKernel.NR : GemmKernel.MR;
        int units = ((byCols ? n : m) + unit - 1) / unit;
        int grain = (int) Math.max(1, GRAIN / Math.max(1, macs / units));
        Engine.current().parallelFor(units, grain, (chunk, from, to) -> {
            int lo = from * unit;
            int hi = Math.min(byCols ? n : m, to * unit);
            if (byCols) {
                blocked(transA, transB, m, hi - lo, k, a, aOff, lda, b, transB ? bOff + lo * ldb : bOff + lo, ldb,
                        c, cOff + lo, ldc, accumulate, rows, 0);
            } else {
                blocked(transA, transB, hi - lo, n, k, a, transA ? aOff + lo : aOff + lo * lda, lda, b, bOff, ldb,
                        c, cOff + lo * ldc, ldc, accumulate, rows, lo);
            }
        });
    }

    /** The share of the micro-kernel's work that lands in C for an {@code m x n} product. */
    static double tileEfficiency(int m, int n) {
        int mr = GemmKernel.MR;
        int nr = GemmKernel.NR;
        return (double) m / ((m + mr - 1) / mr * mr) * n / ((n + nr - 1) / nr * nr);
    }

    /**
     * The blocked product on the calling thread. B is packed into panels; A is read where it lies, six rows at a
     * time: on this machine a packed copy of A bought nothing even for 1024^3 (330 GFLOP/s packed, 358 unpacked), and
     * for a convolution over a small plane the copy cost as much as the product (a 512 x 4608 weight for a 7x7
     * plane's 49 columns: ImageNet ResNet-18 at batch 1 22.4 -> 20.2 ms without it). With {@code finish}, the rows
     * of each block of C are finished once its last block of k is summed, while the block is still in cache
     * ({@code firstRow} is this part's first row in C); a call per tile row cost more than the pass it replaced.
     */
    static void blocked(boolean transA, boolean transB, int m, int n, int k,
                        float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                        float[] c, int cOff, int ldc, boolean accumulate, Rows finish, int firstRow) {
        int mr = GemmKernel.MR;
        int nr = GemmKernel.NR;
        int ncMax = Math.min(NC, (n + nr - 1) / nr * nr);
        int kcMax = Math.min(KC, k);
        float[] packB = Workspace.get(Workspace.PACK_B, kcMax * ncMax);
        float[] tile = Workspace.get(Workspace.TILE, mr * nr);
        // row r of op(A) advances along k by `step` floats; consecutive rows lie `rowStep` floats apart
        int step = transA ? lda : 1;
        int rowStep = transA ? 1 : lda;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                boolean load = accumulate || pc > 0;
                GemmKernel.packB(transB, b, bOff, ldb, pc, kc, jc, nc, packB);
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    for (int jr = 0; jr < nc; jr += nr) {
                        int cols = Math.min(nr, nc - jr);
                        for (int ir = 0; ir < mc; ir += mr) {
                            int rows = Math.min(mr, mc - ir);
                            int co = cOff + (ic + ir) * ldc + jc + jr;
                            int a0 = aOff + pc * step + (ic + ir) * rowStep;
                            // rows past the last read the last one again; the edge tile drops them
                            int last = rows - 1;
                            int a1 = a0 + Math.min(1, last) * rowStep;
                            int a2 = a0 + Math.min(2, last) * rowStep;
                            int a3 = a0 + Math.min(3, last) * rowStep;
                            int a4 = a0 + Math.min(4, last) * rowStep;
                            int a5 = a0 + Math.min(5, last) * rowStep;
                            if (rows == mr && cols == nr) {
                                GemmKernel.kernel(kc, a, a0, a1, a2, a3, a4, a5, step, packB, jr * kc, c, co, ldc,
                                        load);
                            } else {
                                GemmKernel.edge(kc, a, a0, a1, a2, a3, a4, a5, step, packB, jr * kc, c, co, ldc, load,
                                        rows, cols, tile);
                            }
                        }
                    }
                    if (finish != null && pc + kc == k) {
                        for (int r = ic; r < ic + mc; r++) {
                            finish.finish(firstRow + r, c, cOff + r * ldc + jc, nc);
                        }
                    }
                }
            }
        }
    }

    /** A plain vector loop for products too small to pack: rows of C as sums of rows of B, or dot products. */
    static void small(boolean transA, boolean transB, int m, int n, int k,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float[] c, int cOff, int ldc, boolean accumulate) {
        int sa = transA ? 1 : lda;
        int ka = transA ? lda : 1;
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            int ai = aOff + i * sa;
            if (!transB) {
                if (!accumulate) {
                    java.util.Arrays.fill(c, ci, ci + n, 0f);
                }
                boolean vec = Engine.vectorsNow();
                for (int p = 0; p < k; p++) {
                    float aip = a[ai + p * ka];
                    int bp = bOff + p * ldb;
                    int j = 0;
                    if (vec) {
                        FloatVector va = FloatVector.broadcast(S, aip);
                        for (; j <= n - L; j += L) {
                            va.fma(FloatVector.fromArray(S, b, bp + j), FloatVector.fromArray(S, c, ci + j))
                                    .intoArray(c, ci + j);
                        }
                    } else {
                        // the scalar twin: fused in the lanes the vectors cover, as they do
                        for (int end = n / L * L; j < end; j++) {
                            c[ci + j] = Math.fma(aip, b[bp + j], c[ci + j]);
                        }
                    }
                    for (; j < n; j++) {
                        c[ci + j] += aip * b[bp + j];
                    }
                }
            } else {
                for (int j = 0; j < n; j++) {
                    int bj = bOff + j * ldb;
                    float s;
                    if (ka == 1) {
                        int p = 0;
                        if (Engine.vectorsNow()) {
                            FloatVector acc = FloatVector.zero(S);
                            for (; p <= k - L; p += L) {
                                acc = FloatVector.fromArray(S, a, ai + p).fma(FloatVector.fromArray(S, b, bj + p),
                                        acc);
                            }
                            s = VMath.sum(acc);
                        } else {
                            float[] lanes = Workspace.get(Workspace.LANES, L);
                            java.util.Arrays.fill(lanes, 0, L, 0f);
                            for (; p <= k - L; p += L) {
                                for (int l = 0; l < L; l++) {
                                    lanes[l] = Math.fma(a[ai + p + l], b[bj + p + l], lanes[l]);
                                }
                            }
                            s = VMath.sumScalar(lanes, 0);
                        }
                        for (; p < k; p++) {
                            s += a[ai + p] * b[bj + p];
                        }
                    } else {
                        s = 0f;
                        for (int p = 0; p < k; p++) {
                            s += a[ai + p * ka] * b[bj + p];
                        }
                    }
                    c[ci + j] = accumulate ? c[ci + j] + s : s;
                }
            }
        }
    }

    /** The scalar fallback: correct on any CPU, used when vectors are unavailable or disabled. */
    static void scalar(boolean transA, boolean transB, int m, int n, int k,
                       float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                       float[] c, int cOff, int ldc, boolean accumulate) {
        int sa = transA ? 1 : lda;
        int ka = transA ? lda : 1;
        int sb = transB ? 1 : ldb;
        int kb = transB ? ldb : 1;
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            if (!accumulate) {
                java.util.Arrays.fill(c, ci, ci + n, 0f);
            }
            for (int p = 0; p < k; p++) {
                float aip = a[aOff + i * sa + p * ka];
                int bp = bOff + p * sb;
                for (int j = 0; j < n; j++) {
                    c[ci + j] += aip * b[bp + j * kb];
                }
            }
        }
    }
}
