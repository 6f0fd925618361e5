package org.retina.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked inner loop of {@link Gemm} and the packing of B that feeds it. A packed B panel holds
 * {@link #NR} columns k-major ({@code [k][NR]}), zero-padded to a full panel; A is read where it lies, row
 * {@code r} of a tile at {@code a_r + k * aStep} (step 1 along a row, or {@code lda} down a column of a transposed
 * A). The micro-kernel always computes a full {@code MR x NR} tile of 6 rows by 4 vectors (24 accumulators in
 * registers); an edge tile is computed into a scratch tile and its valid part copied.
 */
final class GemmKernel {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    static final int MR = 6;
    static final int NRV = 4;
    static final int NR = NRV * L;

    private GemmKernel() {
    }

    /**
     * {@code C[6 x NR] (+)= Apanel * Bpanel} over {@code kc}; {@code load} adds to C's values, otherwise overwrites
     * them. The tile must lie wholly inside C.
     */
    static void kernel(int kc, float[] ap, int a0, int a1, int a2, int a3, int a4, int a5, int aStep,
                       float[] bp, int bOff, float[] c, int cOff, int ldc, boolean load) {
        if (!Engine.vectorsNow()) {
            kernelScalar(kc, ap, a0, a1, a2, a3, a4, a5, aStep, bp, bOff, c, cOff, ldc, load);
            return;
        }
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        FloatVector c40 = c00, c41 = c00, c42 = c00, c43 = c00;
        FloatVector c50 = c00, c51 = c00, c52 = c00, c53 = c00;
        for (int k = 0; k < kc; k++) {
            int bk = bOff + k * NR;
            int ak = k * aStep;
            FloatVector b0 = FloatVector.fromArray(S, bp, bk);
            FloatVector b1 = FloatVector.fromArray(S, bp, bk + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, bk + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, bp, bk + 3 * L);
            FloatVector x = FloatVector.broadcast(S, ap[a0 + ak]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            c03 = x.fma(b3, c03);
            x = FloatVector.broadcast(S, ap[a1 + ak]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            c13 = x.fma(b3, c13);
            x = FloatVector.broadcast(S, ap[a2 + ak]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
            c23 = x.fma(b3, c23);
            x = FloatVector.broadcast(S, ap[a3 + ak]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            c32 = x.fma(b2, c32);
            c33 = x.fma(b3, c33);
            x = FloatVector.broadcast(S, ap[a4 + ak]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            c42 = x.fma(b2, c42);
            c43 = x.fma(b3, c43);
            x = FloatVector.broadcast(S, ap[a5 + ak]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            c52 = x.fma(b2, c52);
            c53 = x.fma(b3, c53);
        }
        // stores written out here: a helper taking vectors would box them once compiled on its own
        int o0 = cOff, o1 = cOff + ldc, o2 = cOff + 2 * ldc, o3 = cOff + 3 * ldc, o4 = cOff + 4 * ldc;
        int o5 = cOff + 5 * ldc;
        if (load) {
            c00 = c00.add(FloatVector.fromArray(S, c, o0));
            c01 = c01.add(FloatVector.fromArray(S, c, o0 + L));
            c02 = c02.add(FloatVector.fromArray(S, c, o0 + 2 * L));
            c03 = c03.add(FloatVector.fromArray(S, c, o0 + 3 * L));
            c10 = c10.add(FloatVector.fromArray(S, c, o1));
            c11 = c11.add(FloatVector.fromArray(S, c, o1 + L));
            c12 = c12.add(FloatVector.fromArray(S, c, o1 + 2 * L));
            c13 = c13.add(FloatVector.fromArray(S, c, o1 + 3 * L));
            c20 = c20.add(FloatVector.fromArray(S, c, o2));
            c21 = c21.add(FloatVector.fromArray(S, c, o2 + L));
            c22 = c22.add(FloatVector.fromArray(S, c, o2 + 2 * L));
            c23 = c23.add(FloatVector.fromArray(S, c, o2 + 3 * L));
            c30 = c30.add(FloatVector.fromArray(S, c, o3));
            c31 = c31.add(FloatVector.fromArray(S, c, o3 + L));
            c32 = c32.add(FloatVector.fromArray(S, c, o3 + 2 * L));
            c33 = c33.add(FloatVector.fromArray(S, c, o3 + 3 * L));
            c40 = c40.add(FloatVector.fromArray(S, c, o4));
            c41 = c41.add(FloatVector.fromArray(S, c, o4 + L));
            c42 = c42.add(FloatVector.fromArray(S, c, o4 + 2 * L));
            c43 = c43.add(FloatVector.fromArray(S, c, o4 + 3 * L));
            c50 = c50.add(FloatVector.fromArray(S, c, o5));
            c51 = c51.add(FloatVector.fromArray(S, c, o5 + L));
            c52 = c52.add(FloatVector.fromArray(S, c, o5 + 2 * L));
            c53 = c53.add(FloatVector.fromArray(S, c, o5 + 3 * L));
        }
        c00.intoArray(c, o0);
        c01.intoArray(c, o0 + L);
        c02.intoArray(c, o0 + 2 * L);
        c03.intoArray(c, o0 + 3 * L);
        c10.intoArray(c, o1);
        c11.intoArray(c, o1 + L);
        c12.intoArray(c, o1 + 2 * L);
        c13.intoArray(c, o1 + 3 * L);
        c20.intoArray(c, o2);
        c21.intoArray(c, o2 + L);
        c22.intoArray(c, o2 + 2 * L);
        c23.intoArray(c, o2 + 3 * L);
        c30.intoArray(c, o3);
        c31.intoArray(c, o3 + L);
        c32.intoArray(c, o3 + 2 * L);
        c33.intoArray(c, o3 + 3 * L);
        c40.intoArray(c, o4);
        c41.intoArray(c, o4 + L);
        c42.intoArray(c, o4 + 2 * L);
        c43.intoArray(c, o4 + 3 * L);
        c50.intoArray(c, o5);
        c51.intoArray(c, o5 + L);
        c52.intoArray(c, o5 + 2 * L);
        c53.intoArray(c, o5 + 3 * L);
    }

    /** The scalar twin of {@link #kernel}: per element the same fused multiply-adds in order, then the same add. */
    private static void kernelScalar(int kc, float[] ap, int a0, int a1, int a2, int a3, int a4, int a5, int aStep,
                                     float[] bp, int bOff, float[] c, int cOff, int ldc, boolean load) {
        float[] acc = Workspace.get(Workspace.LANES, MR * NR);
        java.util.Arrays.fill(acc, 0, MR * NR, 0f);
        for (int k = 0; k < kc; k++) {
            int bk = bOff + k * NR;
            for (int r = 0; r < MR; r++) {
                int row = switch (r) {
                    case 0 -> a0;
                    case 1 -> a1;
                    case 2 -> a2;
                    case 3 -> a3;
                    case 4 -> a4;
                    default -> a5;
                };
                float a = ap[row + k * aStep];
                int ar = r * NR;
                for (int j = 0; j < NR; j++) {
                    acc[ar + j] = Math.fma(a, bp[bk + j], acc[ar + j]);
                }
            }
        }
        for (int r = 0; r < MR; r++) {
            int ci = cOff + r * ldc;
            for (int j = 0; j < NR; j++) {
                c[ci + j] = load ? acc[r * NR + j] + c[ci + j] : acc[r * NR + j];
            }
        }
    }

    /**
     * An edge tile of {@code mr <= MR} rows and {@code nr <= NR} columns: computed whole into {@code tile}
     * ({@code MR * NR} floats), then its valid part added to or written into C.
     */
    static void edge(int kc, float[] ap, int a0, int a1, int a2, int a3, int a4, int a5, int aStep, float[] bp,
                     int bOff, float[] c, int cOff, int ldc, boolean load, int mr, int nr, float[] tile) {
        kernel(kc, ap, a0, a1, a2, a3, a4, a5, aStep, bp, bOff, tile, 0, NR, false);
        for (int r = 0; r < mr; r++) {
            int ci = cOff + r * ldc;
            int ti = r * NR;
            if (load) {
                for (int j = 0; j < nr; j++) {
                    c[ci + j] += tile[ti + j];
                }
            } else {
                System.arraycopy(tile, ti, c, ci, nr);
            }
        }
    }

    /**
     * Packs rows {@code [p0, p0+kc)} and columns {@code [j0, j0+nc)} of op(B) into NR-column panels, zero-padding
     * the last panel. With {@code trans}, B is stored {@code [n x k]}.
     */
    static void packB(boolean trans, float[] b, int bOff, int ldb, int p0, int kc, int j0, int nc, float[] dst) {
        for (int jr = 0; jr < nc; jr += NR) {
            int cols = Math.min(NR, nc - jr);
            int d = jr * kc;
            if (!trans) {
                for (int k = 0; k < kc; k++) {
                    int src = bOff + (p0 + k) * ldb + j0 + jr;
                    int dk = d + k * NR;
                    System.arraycopy(b, src, dst, dk, cols);
                    if (cols < NR) {
                        java.util.Arrays.fill(dst, dk + cols, dk + NR, 0f);
                    }
                }
            } else {
                for (int j = 0; j < NR; j++) {
                    if (j < cols) {
                        int src = bOff + (j0 + jr + j) * ldb + p0;
                        for (int k = 0; k < kc; k++) {
                            dst[d + k * NR + j] = b[src + k];
                        }
                    } else {
                        for (int k = 0; k < kc; k++) {
                            dst[d + k * NR + j] = 0f;
                        }
                    }
                }
            }
        }
    }
}
