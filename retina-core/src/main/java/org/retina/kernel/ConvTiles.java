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
}
