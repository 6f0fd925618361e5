package org.retina.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked inner loops of the implicit-GEMM convolution ({@link ConvImplicit}); each reads its operands
 * where they lie, without packing. Accumulators leave through a scratch tile or as scalars, never as method
 * arguments: a vector passed to a method that is not inlined is boxed.
 */
final class ConvTiles {
    static final VectorSpecies<Float> S = GemmKernel.S;
    static final int L = GemmKernel.L;
    /** Output channels by vector positions of {@link #forward}. */
    static final int FM = 8;
    static final int FN = 3;

    private ConvTiles() {
    }

    /**
     * {@code tile[r][j] = sum_k w[wr + k] * pad[sj + kOff[k] ..+L]} for 8 weight rows {@code wr} (offsets of row
     * starts in {@code w}) and 3 positions {@code sj}: the output of 8 channels at 3 vector positions, written to
     * {@code tile} ({@code [8][3][L]}).
     */
    static void forward(int kc, float[] w, int w0, int w1, int w2, int w3, int w4, int w5, int w6, int w7,
                        int[] kOff, float[] pad, int s0, int s1, int s2, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00;
        FloatVector c40 = c00, c41 = c00, c42 = c00;
        FloatVector c50 = c00, c51 = c00, c52 = c00;
        FloatVector c60 = c00, c61 = c00, c62 = c00;
        FloatVector c70 = c00, c71 = c00, c72 = c00;
        for (int k = 0; k < kc; k++) {
            int o = kOff[k];
            FloatVector b0 = FloatVector.fromArray(S, pad, s0 + o);
            FloatVector b1 = FloatVector.fromArray(S, pad, s1 + o);
            FloatVector b2 = FloatVector.fromArray(S, pad, s2 + o);
            FloatVector a = FloatVector.broadcast(S, w[w0 + k]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            c02 = a.fma(b2, c02);
            a = FloatVector.broadcast(S, w[w1 + k]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            c12 = a.fma(b2, c12);
            a = FloatVector.broadcast(S, w[w2 + k]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            c22 = a.fma(b2, c22);
            a = FloatVector.broadcast(S, w[w3 + k]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            c32 = a.fma(b2, c32);
            a = FloatVector.broadcast(S, w[w4 + k]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            c42 = a.fma(b2, c42);
            a = FloatVector.broadcast(S, w[w5 + k]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
            c52 = a.fma(b2, c52);
            a = FloatVector.broadcast(S, w[w6 + k]);
            c60 = a.fma(b0, c60);
            c61 = a.fma(b1, c61);
            c62 = a.fma(b2, c62);
            a = FloatVector.broadcast(S, w[w7 + k]);
            c70 = a.fma(b0, c70);
            c71 = a.fma(b1, c71);
            c72 = a.fma(b2, c72);
        }
        c00.intoArray(tile, 0 * L);
        c01.intoArray(tile, 1 * L);
        c02.intoArray(tile, 2 * L);
        c10.intoArray(tile, 3 * L);
        c11.intoArray(tile, 4 * L);
        c12.intoArray(tile, 5 * L);
        c20.intoArray(tile, 6 * L);
        c21.intoArray(tile, 7 * L);
        c22.intoArray(tile, 8 * L);
        c30.intoArray(tile, 9 * L);
        c31.intoArray(tile, 10 * L);
        c32.intoArray(tile, 11 * L);
        c40.intoArray(tile, 12 * L);
        c41.intoArray(tile, 13 * L);
        c42.intoArray(tile, 14 * L);
        c50.intoArray(tile, 15 * L);
        c51.intoArray(tile, 16 * L);
        c52.intoArray(tile, 17 * L);
        c60.intoArray(tile, 18 * L);
        c61.intoArray(tile, 19 * L);
        c62.intoArray(tile, 20 * L);
        c70.intoArray(tile, 21 * L);
        c71.intoArray(tile, 22 * L);
        c72.intoArray(tile, 23 * L);
    }
    /**
     * The scalar twin of {@link #forward}: per lane the same fused multiply-adds in the same order, eight lanes at a
     * time in registers (eight independent chains keep the FMA units busy while the JIT warms the vector code).
     */
    static void forwardScalar(int kc, float[] w, int w0, int w1, int w2, int w3, int w4, int w5, int w6, int w7,
                              int[] kOff, float[] pad, int s0, int s1, int s2, float[] tile) {
        for (int r = 0; r < FM; r++) {
            int wr = switch (r) {
                case 0 -> w0;
                case 1 -> w1;
                case 2 -> w2;
                case 3 -> w3;
                case 4 -> w4;
                case 5 -> w5;
                case 6 -> w6;
                default -> w7;
            };
            for (int j = 0; j < FN; j++) {
                int src = j == 0 ? s0 : j == 1 ? s1 : s2;
                if (L % 8 != 0) {
                    for (int l = 0; l < L; l++) {
                        float sum = 0f;
                        for (int k = 0; k < kc; k++) {
                            sum = Math.fma(w[wr + k], pad[src + l + kOff[k]], sum);
                        }
                        tile[(r * FN + j) * L + l] = sum;
                    }
                    continue;
                }
                for (int l = 0; l < L; l += 8) {
                    float a0 = 0f, a1 = 0f, a2 = 0f, a3 = 0f, a4 = 0f, a5 = 0f, a6 = 0f, a7 = 0f;
                    int base = src + l;
                    for (int k = 0; k < kc; k++) {
                        float a = w[wr + k];
                        int q = base + kOff[k];
                        a0 = Math.fma(a, pad[q], a0);
                        a1 = Math.fma(a, pad[q + 1], a1);
                        a2 = Math.fma(a, pad[q + 2], a2);
                        a3 = Math.fma(a, pad[q + 3], a3);
                        a4 = Math.fma(a, pad[q + 4], a4);
                        a5 = Math.fma(a, pad[q + 5], a5);
                        a6 = Math.fma(a, pad[q + 6], a6);
                        a7 = Math.fma(a, pad[q + 7], a7);
                    }
                    int t = (r * FN + j) * L + l;
                    tile[t] = a0;
                    tile[t + 1] = a1;
                    tile[t + 2] = a2;
                    tile[t + 3] = a3;
                    tile[t + 4] = a4;
                    tile[t + 5] = a5;
                    tile[t + 6] = a6;
                    tile[t + 7] = a7;
                }
            }
        }
    }

    /** Output channels by column-matrix rows of {@link #dot}. */
    static final int DM = 4;
    static final int DN = 6;

    /**
     * {@code out[r*6 + j] += sum over samples t and positions p of gv[t][gr + p*L ..] . pad[t][xj + src[p] ..]}: the
     * dot products of 4 output-gradient rows {@code gr} (laid out by positions, zero where no output is) with 6
     * column-matrix rows {@code xj} (offsets in the padded sample), over {@code count} samples whose buffers lie
     * {@code gStride} and {@code xStride} apart. Lanes are summed in {@link VMath#sum}'s fixed tree.
     */
    static void dot(int count, float[] gv, int gStride, int g0, int g1, int g2, int g3, float[] pad, int xStride,
                    int x0, int x1, int x2, int x3, int x4, int x5, int[] src, int positions, float[] out) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00, c04 = c00, c05 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00, c14 = c00, c15 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00, c24 = c00, c25 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00, c34 = c00, c35 = c00;
        for (int t = 0; t < count; t++) {
            int gt = t * gStride;
            int xt = t * xStride;
            for (int p = 0; p < positions; p++) {
                int gp = gt + p * L;
                int o = xt + src[p];
                FloatVector a0 = FloatVector.fromArray(S, gv, g0 + gp);
                FloatVector a1 = FloatVector.fromArray(S, gv, g1 + gp);
                FloatVector a2 = FloatVector.fromArray(S, gv, g2 + gp);
                FloatVector a3 = FloatVector.fromArray(S, gv, g3 + gp);
                FloatVector b = FloatVector.fromArray(S, pad, x0 + o);
                c00 = a0.fma(b, c00);
                c10 = a1.fma(b, c10);
                c20 = a2.fma(b, c20);
                c30 = a3.fma(b, c30);
                b = FloatVector.fromArray(S, pad, x1 + o);
                c01 = a0.fma(b, c01);
                c11 = a1.fma(b, c11);
                c21 = a2.fma(b, c21);
                c31 = a3.fma(b, c31);
                b = FloatVector.fromArray(S, pad, x2 + o);
                c02 = a0.fma(b, c02);
                c12 = a1.fma(b, c12);
                c22 = a2.fma(b, c22);
                c32 = a3.fma(b, c32);
                b = FloatVector.fromArray(S, pad, x3 + o);
                c03 = a0.fma(b, c03);
                c13 = a1.fma(b, c13);
                c23 = a2.fma(b, c23);
                c33 = a3.fma(b, c33);
                b = FloatVector.fromArray(S, pad, x4 + o);
                c04 = a0.fma(b, c04);
                c14 = a1.fma(b, c14);
                c24 = a2.fma(b, c24);
                c34 = a3.fma(b, c34);
                b = FloatVector.fromArray(S, pad, x5 + o);
                c05 = a0.fma(b, c05);
                c15 = a1.fma(b, c15);
                c25 = a2.fma(b, c25);
                c35 = a3.fma(b, c35);
            }
        }
        out[0] += VMath.sum(c00);
        out[1] += VMath.sum(c01);
        out[2] += VMath.sum(c02);
        out[3] += VMath.sum(c03);
        out[4] += VMath.sum(c04);
        out[5] += VMath.sum(c05);
        out[6] += VMath.sum(c10);
        out[7] += VMath.sum(c11);
        out[8] += VMath.sum(c12);
        out[9] += VMath.sum(c13);
        out[10] += VMath.sum(c14);
        out[11] += VMath.sum(c15);
        out[12] += VMath.sum(c20);
        out[13] += VMath.sum(c21);
        out[14] += VMath.sum(c22);
        out[15] += VMath.sum(c23);
        out[16] += VMath.sum(c24);
        out[17] += VMath.sum(c25);
        out[18] += VMath.sum(c30);
        out[19] += VMath.sum(c31);
        out[20] += VMath.sum(c32);
        out[21] += VMath.sum(c33);
        out[22] += VMath.sum(c34);
        out[23] += VMath.sum(c35);
    }

    /** The scalar twin of {@link #dot}; {@code lanes} is scratch of {@code 24 * L} floats. */
    static void dotScalar(int count, float[] gv, int gStride, int g0, int g1, int g2, int g3, float[] pad,
                          int xStride, int x0, int x1, int x2, int x3, int x4, int x5, int[] src, int positions,
                          float[] out, float[] lanes) {
        java.util.Arrays.fill(lanes, 0, DM * DN * L, 0f);
        for (int t = 0; t < count; t++) {
            int gt = t * gStride;
            int xt = t * xStride;
            for (int p = 0; p < positions; p++) {
                int gp = gt + p * L;
                int o = xt + src[p];
                for (int j = 0; j < DN; j++) {
                    int xj = (j == 0 ? x0 : j == 1 ? x1 : j == 2 ? x2 : j == 3 ? x3 : j == 4 ? x4 : x5) + o;
                    for (int r = 0; r < DM; r++) {
                        int gr = (r == 0 ? g0 : r == 1 ? g1 : r == 2 ? g2 : g3) + gp;
                        int c = (r * DN + j) * L;
                        for (int l = 0; l < L; l++) {
                            lanes[c + l] = Math.fma(gv[gr + l], pad[xj + l], lanes[c + l]);
                        }
                    }
                }
            }
        }
        for (int i = 0; i < DM * DN; i++) {
            out[i] += VMath.sumScalar(lanes, i * L);
        }
    }
}
