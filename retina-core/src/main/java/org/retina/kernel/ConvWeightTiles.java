package org.retina.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register tiles of the weight gradient ({@link ConvWeights}): rows of the (never written) column matrix, read as
 * broadcasts straight from the padded sample, times vectors of output channels of the transposed output gradient.
 * Accumulators leave through {@code acc}; no vector crosses a method boundary.
 */
final class ConvWeightTiles {
    static final VectorSpecies<Float> S = GemmKernel.S;
    static final int L = GemmKernel.L;

    private ConvWeightTiles() {
    }

    /**
     * {@code acc[r][j] += sum_p pad[ar + pix[p]] * g[gOff + p*ldg + j*L ..]} for 12 column-matrix rows {@code r}
     * (their offsets {@code ar} in the padded sample) and 2 vectors {@code j} of output channels, over the
     * {@code count} outputs {@code p} of one sample; {@code acc} rows are {@code ldAcc} apart from {@code accOff}.
     */
    static void tile12x2(int count, int[] pix, float[] pad, int a0, int a1, int a2, int a3, int a4, int a5, int a6,
                         int a7, int a8, int a9, int a10, int a11, float[] g, int gOff, int ldg, float[] acc,
                         int accOff, int ldAcc) {
        FloatVector c0_0 = FloatVector.zero(S), c0_1 = c0_0;
        FloatVector c1_0 = c0_0, c1_1 = c0_0;
        FloatVector c2_0 = c0_0, c2_1 = c0_0;
        FloatVector c3_0 = c0_0, c3_1 = c0_0;
        FloatVector c4_0 = c0_0, c4_1 = c0_0;
        FloatVector c5_0 = c0_0, c5_1 = c0_0;
        FloatVector c6_0 = c0_0, c6_1 = c0_0;
        FloatVector c7_0 = c0_0, c7_1 = c0_0;
        FloatVector c8_0 = c0_0, c8_1 = c0_0;
        FloatVector c9_0 = c0_0, c9_1 = c0_0;
        FloatVector c10_0 = c0_0, c10_1 = c0_0;
        FloatVector c11_0 = c0_0, c11_1 = c0_0;
        for (int p = 0; p < count; p++) {
            int o = pix[p];
            int gp = gOff + p * ldg;
            FloatVector b0 = FloatVector.fromArray(S, g, gp);
            FloatVector b1 = FloatVector.fromArray(S, g, gp + 1 * L);
            FloatVector x = FloatVector.broadcast(S, pad[a0 + o]);
            c0_0 = x.fma(b0, c0_0);
            c0_1 = x.fma(b1, c0_1);
            x = FloatVector.broadcast(S, pad[a1 + o]);
            c1_0 = x.fma(b0, c1_0);
            c1_1 = x.fma(b1, c1_1);
            x = FloatVector.broadcast(S, pad[a2 + o]);
            c2_0 = x.fma(b0, c2_0);
            c2_1 = x.fma(b1, c2_1);
            x = FloatVector.broadcast(S, pad[a3 + o]);
            c3_0 = x.fma(b0, c3_0);
            c3_1 = x.fma(b1, c3_1);
            x = FloatVector.broadcast(S, pad[a4 + o]);
            c4_0 = x.fma(b0, c4_0);
            c4_1 = x.fma(b1, c4_1);
            x = FloatVector.broadcast(S, pad[a5 + o]);
            c5_0 = x.fma(b0, c5_0);
            c5_1 = x.fma(b1, c5_1);
            x = FloatVector.broadcast(S, pad[a6 + o]);
            c6_0 = x.fma(b0, c6_0);
            c6_1 = x.fma(b1, c6_1);
            x = FloatVector.broadcast(S, pad[a7 + o]);
            c7_0 = x.fma(b0, c7_0);
            c7_1 = x.fma(b1, c7_1);
            x = FloatVector.broadcast(S, pad[a8 + o]);
            c8_0 = x.fma(b0, c8_0);
            c8_1 = x.fma(b1, c8_1);
            x = FloatVector.broadcast(S, pad[a9 + o]);
            c9_0 = x.fma(b0, c9_0);
            c9_1 = x.fma(b1, c9_1);
            x = FloatVector.broadcast(S, pad[a10 + o]);
            c10_0 = x.fma(b0, c10_0);
            c10_1 = x.fma(b1, c10_1);
            x = FloatVector.broadcast(S, pad[a11 + o]);
            c11_0 = x.fma(b0, c11_0);
            c11_1 = x.fma(b1, c11_1);
        }
        int r0 = accOff;
        c0_0.add(FloatVector.fromArray(S, acc, r0)).intoArray(acc, r0);
        c0_1.add(FloatVector.fromArray(S, acc, r0 + 1 * L)).intoArray(acc, r0 + 1 * L);
        int r1 = accOff + 1 * ldAcc;
        c1_0.add(FloatVector.fromArray(S, acc, r1)).intoArray(acc, r1);
        c1_1.add(FloatVector.fromArray(S, acc, r1 + 1 * L)).intoArray(acc, r1 + 1 * L);
        int r2 = accOff + 2 * ldAcc;
        c2_0.add(FloatVector.fromArray(S, acc, r2)).intoArray(acc, r2);
        c2_1.add(FloatVector.fromArray(S, acc, r2 + 1 * L)).intoArray(acc, r2 + 1 * L);
        int r3 = accOff + 3 * ldAcc;
        c3_0.add(FloatVector.fromArray(S, acc, r3)).intoArray(acc, r3);
        c3_1.add(FloatVector.fromArray(S, acc, r3 + 1 * L)).intoArray(acc, r3 + 1 * L);
        int r4 = accOff + 4 * ldAcc;
        c4_0.add(FloatVector.fromArray(S, acc, r4)).intoArray(acc, r4);
        c4_1.add(FloatVector.fromArray(S, acc, r4 + 1 * L)).intoArray(acc, r4 + 1 * L);
        int r5 = accOff + 5 * ldAcc;
        c5_0.add(FloatVector.fromArray(S, acc, r5)).intoArray(acc, r5);
        c5_1.add(FloatVector.fromArray(S, acc, r5 + 1 * L)).intoArray(acc, r5 + 1 * L);
        int r6 = accOff + 6 * ldAcc;
        c6_0.add(FloatVector.fromArray(S, acc, r6)).intoArray(acc, r6);
        c6_1.add(FloatVector.fromArray(S, acc, r6 + 1 * L)).intoArray(acc, r6 + 1 * L);
        int r7 = accOff + 7 * ldAcc;
        c7_0.add(FloatVector.fromArray(S, acc, r7)).intoArray(acc, r7);
        c7_1.add(FloatVector.fromArray(S, acc, r7 + 1 * L)).intoArray(acc, r7 + 1 * L);
        int r8 = accOff + 8 * ldAcc;
        c8_0.add(FloatVector.fromArray(S, acc, r8)).intoArray(acc, r8);
        c8_1.add(FloatVector.fromArray(S, acc, r8 + 1 * L)).intoArray(acc, r8 + 1 * L);
        int r9 = accOff + 9 * ldAcc;
        c9_0.add(FloatVector.fromArray(S, acc, r9)).intoArray(acc, r9);
        c9_1.add(FloatVector.fromArray(S, acc, r9 + 1 * L)).intoArray(acc, r9 + 1 * L);
        int r10 = accOff + 10 * ldAcc;
        c10_0.add(FloatVector.fromArray(S, acc, r10)).intoArray(acc, r10);
        c10_1.add(FloatVector.fromArray(S, acc, r10 + 1 * L)).intoArray(acc, r10 + 1 * L);
        int r11 = accOff + 11 * ldAcc;
        c11_0.add(FloatVector.fromArray(S, acc, r11)).intoArray(acc, r11);
        c11_1.add(FloatVector.fromArray(S, acc, r11 + 1 * L)).intoArray(acc, r11 + 1 * L);
    }

    /** As {@link #tile12x2} for 6 rows by 4 vectors of output channels. */
    static void tile6x4(int count, int[] pix, float[] pad, int a0, int a1, int a2, int a3, int a4, int a5, float[] g,
                        int gOff, int ldg, float[] acc, int accOff, int ldAcc) {
        FloatVector c0_0 = FloatVector.zero(S), c0_1 = c0_0, c0_2 = c0_0, c0_3 = c0_0;
        FloatVector c1_0 = c0_0, c1_1 = c0_0, c1_2 = c0_0, c1_3 = c0_0;
        FloatVector c2_0 = c0_0, c2_1 = c0_0, c2_2 = c0_0, c2_3 = c0_0;
        FloatVector c3_0 = c0_0, c3_1 = c0_0, c3_2 = c0_0, c3_3 = c0_0;
        FloatVector c4_0 = c0_0, c4_1 = c0_0, c4_2 = c0_0, c4_3 = c0_0;
        FloatVector c5_0 = c0_0, c5_1 = c0_0, c5_2 = c0_0, c5_3 = c0_0;
        for (int p = 0; p < count; p++) {
            int o = pix[p];
            int gp = gOff + p * ldg;
            FloatVector b0 = FloatVector.fromArray(S, g, gp);
            FloatVector b1 = FloatVector.fromArray(S, g, gp + 1 * L);
            FloatVector b2 = FloatVector.fromArray(S, g, gp + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, g, gp + 3 * L);
            FloatVector x = FloatVector.broadcast(S, pad[a0 + o]);
            c0_0 = x.fma(b0, c0_0);
            c0_1 = x.fma(b1, c0_1);
            c0_2 = x.fma(b2, c0_2);
            c0_3 = x.fma(b3, c0_3);
            x = FloatVector.broadcast(S, pad[a1 + o]);
            c1_0 = x.fma(b0, c1_0);
            c1_1 = x.fma(b1, c1_1);
            c1_2 = x.fma(b2, c1_2);
            c1_3 = x.fma(b3, c1_3);
            x = FloatVector.broadcast(S, pad[a2 + o]);
            c2_0 = x.fma(b0, c2_0);
            c2_1 = x.fma(b1, c2_1);
            c2_2 = x.fma(b2, c2_2);
            c2_3 = x.fma(b3, c2_3);
            x = FloatVector.broadcast(S, pad[a3 + o]);
            c3_0 = x.fma(b0, c3_0);
            c3_1 = x.fma(b1, c3_1);
            c3_2 = x.fma(b2, c3_2);
            c3_3 = x.fma(b3, c3_3);
            x = FloatVector.broadcast(S, pad[a4 + o]);
            c4_0 = x.fma(b0, c4_0);
            c4_1 = x.fma(b1, c4_1);
            c4_2 = x.fma(b2, c4_2);
            c4_3 = x.fma(b3, c4_3);
            x = FloatVector.broadcast(S, pad[a5 + o]);
            c5_0 = x.fma(b0, c5_0);
            c5_1 = x.fma(b1, c5_1);
            c5_2 = x.fma(b2, c5_2);
            c5_3 = x.fma(b3, c5_3);
        }
        int r0 = accOff;
        c0_0.add(FloatVector.fromArray(S, acc, r0)).intoArray(acc, r0);
        c0_1.add(FloatVector.fromArray(S, acc, r0 + 1 * L)).intoArray(acc, r0 + 1 * L);
        c0_2.add(FloatVector.fromArray(S, acc, r0 + 2 * L)).intoArray(acc, r0 + 2 * L);
        c0_3.add(FloatVector.fromArray(S, acc, r0 + 3 * L)).intoArray(acc, r0 + 3 * L);
        int r1 = accOff + 1 * ldAcc;
        c1_0.add(FloatVector.fromArray(S, acc, r1)).intoArray(acc, r1);
        c1_1.add(FloatVector.fromArray(S, acc, r1 + 1 * L)).intoArray(acc, r1 + 1 * L);
        c1_2.add(FloatVector.fromArray(S, acc, r1 + 2 * L)).intoArray(acc, r1 + 2 * L);
        c1_3.add(FloatVector.fromArray(S, acc, r1 + 3 * L)).intoArray(acc, r1 + 3 * L);
        int r2 = accOff + 2 * ldAcc;
        c2_0.add(FloatVector.fromArray(S, acc, r2)).intoArray(acc, r2);
        c2_1.add(FloatVector.fromArray(S, acc, r2 + 1 * L)).intoArray(acc, r2 + 1 * L);
        c2_2.add(FloatVector.fromArray(S, acc, r2 + 2 * L)).intoArray(acc, r2 + 2 * L);
        c2_3.add(FloatVector.fromArray(S, acc, r2 + 3 * L)).intoArray(acc, r2 + 3 * L);
        int r3 = accOff + 3 * ldAcc;
        c3_0.add(FloatVector.fromArray(S, acc, r3)).intoArray(acc, r3);
        c3_1.add(FloatVector.fromArray(S, acc, r3 + 1 * L)).intoArray(acc, r3 + 1 * L);
        c3_2.add(FloatVector.fromArray(S, acc, r3 + 2 * L)).intoArray(acc, r3 + 2 * L);
        c3_3.add(FloatVector.fromArray(S, acc, r3 + 3 * L)).intoArray(acc, r3 + 3 * L);
        int r4 = accOff + 4 * ldAcc;
        c4_0.add(FloatVector.fromArray(S, acc, r4)).intoArray(acc, r4);
        c4_1.add(FloatVector.fromArray(S, acc, r4 + 1 * L)).intoArray(acc, r4 + 1 * L);
        c4_2.add(FloatVector.fromArray(S, acc, r4 + 2 * L)).intoArray(acc, r4 + 2 * L);
        c4_3.add(FloatVector.fromArray(S, acc, r4 + 3 * L)).intoArray(acc, r4 + 3 * L);
        int r5 = accOff + 5 * ldAcc;
        c5_0.add(FloatVector.fromArray(S, acc, r5)).intoArray(acc, r5);
        c5_1.add(FloatVector.fromArray(S, acc, r5 + 1 * L)).intoArray(acc, r5 + 1 * L);
        c5_2.add(FloatVector.fromArray(S, acc, r5 + 2 * L)).intoArray(acc, r5 + 2 * L);
        c5_3.add(FloatVector.fromArray(S, acc, r5 + 3 * L)).intoArray(acc, r5 + 3 * L);
    }

    /** As {@link #tile12x2} for 12 rows by 1 vector of output channels. */
    static void tile12x1(int count, int[] pix, float[] pad, int a0, int a1, int a2, int a3, int a4, int a5, int a6,
                         int a7, int a8, int a9, int a10, int a11, float[] g, int gOff, int ldg, float[] acc,
                         int accOff, int ldAcc) {
        FloatVector c0_0 = FloatVector.zero(S);
        FloatVector c1_0 = c0_0;
        FloatVector c2_0 = c0_0;
        FloatVector c3_0 = c0_0;
        FloatVector c4_0 = c0_0;
        FloatVector c5_0 = c0_0;
        FloatVector c6_0 = c0_0;
        FloatVector c7_0 = c0_0;
        FloatVector c8_0 = c0_0;
        FloatVector c9_0 = c0_0;
        FloatVector c10_0 = c0_0;
        FloatVector c11_0 = c0_0;
        for (int p = 0; p < count; p++) {
            int o = pix[p];
            int gp = gOff + p * ldg;
            FloatVector b0 = FloatVector.fromArray(S, g, gp);
            FloatVector x = FloatVector.broadcast(S, pad[a0 + o]);
            c0_0 = x.fma(b0, c0_0);
            x = FloatVector.broadcast(S, pad[a1 + o]);
            c1_0 = x.fma(b0, c1_0);
            x = FloatVector.broadcast(S, pad[a2 + o]);
            c2_0 = x.fma(b0, c2_0);
            x = FloatVector.broadcast(S, pad[a3 + o]);
            c3_0 = x.fma(b0, c3_0);
            x = FloatVector.broadcast(S, pad[a4 + o]);
            c4_0 = x.fma(b0, c4_0);
            x = FloatVector.broadcast(S, pad[a5 + o]);
            c5_0 = x.fma(b0, c5_0);
            x = FloatVector.broadcast(S, pad[a6 + o]);
            c6_0 = x.fma(b0, c6_0);
            x = FloatVector.broadcast(S, pad[a7 + o]);
            c7_0 = x.fma(b0, c7_0);
            x = FloatVector.broadcast(S, pad[a8 + o]);
            c8_0 = x.fma(b0, c8_0);
            x = FloatVector.broadcast(S, pad[a9 + o]);
            c9_0 = x.fma(b0, c9_0);
            x = FloatVector.broadcast(S, pad[a10 + o]);
            c10_0 = x.fma(b0, c10_0);
            x = FloatVector.broadcast(S, pad[a11 + o]);
            c11_0 = x.fma(b0, c11_0);
        }
        int r0 = accOff;
        c0_0.add(FloatVector.fromArray(S, acc, r0)).intoArray(acc, r0);
        int r1 = accOff + 1 * ldAcc;
        c1_0.add(FloatVector.fromArray(S, acc, r1)).intoArray(acc, r1);
        int r2 = accOff + 2 * ldAcc;
        c2_0.add(FloatVector.fromArray(S, acc, r2)).intoArray(acc, r2);
        int r3 = accOff + 3 * ldAcc;
        c3_0.add(FloatVector.fromArray(S, acc, r3)).intoArray(acc, r3);
        int r4 = accOff + 4 * ldAcc;
        c4_0.add(FloatVector.fromArray(S, acc, r4)).intoArray(acc, r4);
        int r5 = accOff + 5 * ldAcc;
        c5_0.add(FloatVector.fromArray(S, acc, r5)).intoArray(acc, r5);
        int r6 = accOff + 6 * ldAcc;
        c6_0.add(FloatVector.fromArray(S, acc, r6)).intoArray(acc, r6);
        int r7 = accOff + 7 * ldAcc;
        c7_0.add(FloatVector.fromArray(S, acc, r7)).intoArray(acc, r7);
        int r8 = accOff + 8 * ldAcc;
        c8_0.add(FloatVector.fromArray(S, acc, r8)).intoArray(acc, r8);
        int r9 = accOff + 9 * ldAcc;
        c9_0.add(FloatVector.fromArray(S, acc, r9)).intoArray(acc, r9);
        int r10 = accOff + 10 * ldAcc;
        c10_0.add(FloatVector.fromArray(S, acc, r10)).intoArray(acc, r10);
        int r11 = accOff + 11 * ldAcc;
        c11_0.add(FloatVector.fromArray(S, acc, r11)).intoArray(acc, r11);
    }
}
