package org.retina.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The weight gradient of a stride-1 convolution without a column matrix: {@code dW^T[(c,u,v)][o] = sum_p
 * pad[kOff(c,u,v) + pix(p)] * gy^T[p][o]} per sample. The padded input (the big operand) is read in place as
 * broadcasts; only the output gradient of one sample is transposed (to {@code [p][o]}, output channels padded to
 * whole vectors), so no lane is wasted on padding columns and no horizontal sum is needed. Each chunk of samples
 * sums into its own buffer; the buffers are added in chunk order.
 */
final class ConvWeights {
    private static final VectorSpecies<Float> S = GemmKernel.S;
    private static final int L = GemmKernel.L;
    /** The most column-matrix rows of one register tile: buffers are padded to whole tiles. */
    private static final int ROWS = 12;

    private ConvWeights() {
    }

    /** Adds {@code d(sum y*gy)/dw} to {@code gw} and, when {@code gb} is not null, {@code d/dbias} to {@code gb}. */
    static void backward(float[] x, float[] gy, float[] gw, float[] gb, int n, ConvGeometry g) {
        ConvPlan plan = ConvPlan.of(g);
        int k = plan.kOff.length;
        int kPad = (k + ROWS - 1) / ROWS * ROWS;
        int mg = g.groupOutC();
        int ldg = (mg + L - 1) / L * L;
        int groups = g.groups();
        int planeOut = g.outPlane();
        int weights = groups * kPad * ldg;
        int per = weights + groups * ldg;
        Engine backend = Engine.current();
        long macs = (long) groups * k * ldg * planeOut;
        int grain = (int) Math.max(1, (1 << 18) / Math.max(1, macs));
        int chunks = backend.chunks(n, grain);
        float[] partial = Workspace.get(Workspace.PARTIAL, chunks * per);
        java.util.Arrays.fill(partial, 0, chunks * per, 0f);
        backend.parallelFor(n, grain, (chunk, from, to) -> {
            float[] pad = Workspace.get(Workspace.PAD, plan.padSize);
            float[] gT = Workspace.get(Workspace.PAD2, groups * planeOut * ldg);
            int base = chunk * per;
            for (int s = from; s < to; s++) {
                plan.pad(x, s * g.inSize(), pad, 0);
                transpose(gy, s * g.outSize(), mg, groups, planeOut, ldg, gT);
                for (int grp = 0; grp < groups; grp++) {
                    int gOff = grp * planeOut * ldg;
                    sumRows(gT, gOff, planeOut, ldg, partial, base + weights + grp * ldg);
                    int padBase = grp * g.groupInC() * plan.hp * plan.wp;
                    tiles(plan, pad, padBase, gT, gOff, ldg, partial, base + grp * kPad * ldg);
                }
            }
        });
        for (int c = 0; c < chunks; c++) {
            int base = c * per;
            for (int grp = 0; grp < groups; grp++) {
                int acc = base + grp * kPad * ldg;
                for (int o = 0; o < mg; o++) {
                    int dst = (grp * mg + o) * k;
                    for (int r = 0; r < k; r++) {
                        gw[dst + r] += partial[acc + r * ldg + o];
                    }
                }
                if (gb != null) {
                    for (int o = 0; o < mg; o++) {
                        gb[grp * mg + o] += partial[base + weights + grp * ldg + o];
                    }
                }
            }
        }
    }

    /** {@code gT[grp][p][o] = gy[grp*mg + o][p]}, output channels {@code [mg, ldg)} zero. */
    private static void transpose(float[] gy, int gyOff, int mg, int groups, int planeOut, int ldg, float[] gT) {
        for (int grp = 0; grp < groups; grp++) {
            int dst = grp * planeOut * ldg;
            for (int o = 0; o < mg; o++) {
                int src = gyOff + (grp * mg + o) * planeOut;
                for (int p = 0; p < planeOut; p++) {
                    gT[dst + p * ldg + o] = gy[src + p];
                }
            }
            if (mg < ldg) {
                for (int p = 0; p < planeOut; p++) {
                    java.util.Arrays.fill(gT, dst + p * ldg + mg, dst + (p + 1) * ldg, 0f);
                }
            }
        }
    }

    /** Adds the column sums of {@code gT[off ..]} ({@code rows x ld}) to {@code sums[sOff ..+ld]}: the bias gradient. */
    private static void sumRows(float[] gT, int off, int rows, int ld, float[] sums, int sOff) {
        if (!Engine.vectorsNow()) {
            for (int j = 0; j < ld; j++) {
                float a = sums[sOff + j];
                for (int p = 0; p < rows; p++) {
                    a = a + gT[off + p * ld + j];
                }
                sums[sOff + j] = a;
            }
            return;
        }
        for (int j = 0; j < ld; j += L) {
            FloatVector acc = FloatVector.fromArray(S, sums, sOff + j);
            for (int p = 0; p < rows; p++) {
                acc = acc.add(FloatVector.fromArray(S, gT, off + p * ld + j));
            }
            acc.intoArray(sums, sOff + j);
        }
    }

    /** All register tiles of one group of one sample, into {@code acc[accOff ..]} ({@code [kPad][ldg]}). */
    private static void tiles(ConvPlan plan, float[] pad, int padBase, float[] gT, int gOff, int ldg, float[] acc,
                              int accOff) {
        int[] kOff = plan.kOff;
        int k = kOff.length;
        int count = plan.pix.length;
        int[] pix = plan.pix;
        int vectors = ldg / L;
        if (!Engine.vectorsNow()) {
            tilesScalar(plan, pad, padBase, gT, gOff, ldg, acc, accOff);
            return;
        }
        for (int j = 0; j < vectors; ) {
            int left = vectors - j;
            int step = left >= 4 ? 4 : left >= 2 ? 2 : 1;
            int rows = step == 4 ? 6 : 12;
            for (int r0 = 0; r0 < k; r0 += rows) {
                int a0 = padBase + kOff[r0];
                int a1 = padBase + kOff[Math.min(r0 + 1, k - 1)];
                int a2 = padBase + kOff[Math.min(r0 + 2, k - 1)];
                int a3 = padBase + kOff[Math.min(r0 + 3, k - 1)];
                int a4 = padBase + kOff[Math.min(r0 + 4, k - 1)];
                int a5 = padBase + kOff[Math.min(r0 + 5, k - 1)];
                int ao = accOff + r0 * ldg + j * L;
                if (step == 4) {
                    ConvWeightTiles.tile6x4(count, pix, pad, a0, a1, a2, a3, a4, a5, gT, gOff + j * L, ldg, acc, ao,
                            ldg);
                    continue;
                }
                int a6 = padBase + kOff[Math.min(r0 + 6, k - 1)];
                int a7 = padBase + kOff[Math.min(r0 + 7, k - 1)];
                int a8 = padBase + kOff[Math.min(r0 + 8, k - 1)];
                int a9 = padBase + kOff[Math.min(r0 + 9, k - 1)];
                int a10 = padBase + kOff[Math.min(r0 + 10, k - 1)];
                int a11 = padBase + kOff[Math.min(r0 + 11, k - 1)];
                if (step == 2) {
                    ConvWeightTiles.tile12x2(count, pix, pad, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, gT,
                            gOff + j * L, ldg, acc, ao, ldg);
                } else {
                    ConvWeightTiles.tile12x1(count, pix, pad, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, gT,
                            gOff + j * L, ldg, acc, ao, ldg);
                }
            }
            j += step;
        }
    }

    /**
     * The scalar twin of {@link #tiles}: the same tiles (6 rows by 4 vectors, 12 by 2, 12 by 1, rows clamped to the
     * last), the same fused multiply-adds per lane in the same order, added to {@code acc} as the vector code does.
     */
    private static void tilesScalar(ConvPlan plan, float[] pad, int padBase, float[] gT, int gOff, int ldg,
                                    float[] acc, int accOff) {
        int[] kOff = plan.kOff;
        int k = kOff.length;
        int count = plan.pix.length;
        int[] pix = plan.pix;
        int vectors = ldg / L;
        for (int j = 0; j < vectors; ) {
            int left = vectors - j;
            int step = left >= 4 ? 4 : left >= 2 ? 2 : 1;
            int rows = step == 4 ? 6 : 12;
            int width = step * L;
            for (int r0 = 0; r0 < k; r0 += rows) {
                for (int r = 0; r < rows; r++) {
                    int ar = padBase + kOff[Math.min(r0 + r, k - 1)];
                    int ao = accOff + (r0 + r) * ldg + j * L;
                    if (L % 8 != 0) {
                        for (int c = 0; c < width; c++) {
                            float sum = 0f;
                            for (int p = 0; p < count; p++) {
                                sum = Math.fma(pad[ar + pix[p]], gT[gOff + j * L + c + p * ldg], sum);
                            }
                            acc[ao + c] = sum + acc[ao + c];
                        }
                        continue;
                    }
                    // eight lanes at a time in registers, summed over the outputs in order
                    for (int c = 0; c < width; c += 8) {
                        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f, s4 = 0f, s5 = 0f, s6 = 0f, s7 = 0f;
                        int gc = gOff + j * L + c;
                        for (int p = 0; p < count; p++) {
                            float x = pad[ar + pix[p]];
                            int q = gc + p * ldg;
                            s0 = Math.fma(x, gT[q], s0);
                            s1 = Math.fma(x, gT[q + 1], s1);
                            s2 = Math.fma(x, gT[q + 2], s2);
                            s3 = Math.fma(x, gT[q + 3], s3);
                            s4 = Math.fma(x, gT[q + 4], s4);
                            s5 = Math.fma(x, gT[q + 5], s5);
                            s6 = Math.fma(x, gT[q + 6], s6);
                            s7 = Math.fma(x, gT[q + 7], s7);
                        }
                        int o = ao + c;
                        acc[o] = s0 + acc[o];
                        acc[o + 1] = s1 + acc[o + 1];
                        acc[o + 2] = s2 + acc[o + 2];
                        acc[o + 3] = s3 + acc[o + 3];
                        acc[o + 4] = s4 + acc[o + 4];
                        acc[o + 5] = s5 + acc[o + 5];
                        acc[o + 6] = s6 + acc[o + 6];
                        acc[o + 7] = s7 + acc[o + 7];
                    }
                }
            }
            j += step;
        }
    }
}
