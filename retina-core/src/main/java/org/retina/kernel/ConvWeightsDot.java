package org.retina.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The weight gradient of a stride-1 convolution as dot products along the outputs, for convolutions with few
 * column-matrix rows or few output channels ({@link #suits}), where {@link ConvWeights}' transposed gradient would
 * cost more than the products or leave most lanes idle. The output gradient is laid out by vector positions
 * ({@link ConvPlan}, zero where no output is), and 4 output channels by 6 column-matrix rows are summed per
 * register tile over blocks of samples that stay in cache.
 */
final class ConvWeightsDot {
    private static final VectorSpecies<Float> S = GemmKernel.S;
    private static final int L = GemmKernel.L;
    /** Floats of padded samples and laid-out gradients kept in cache per block. */
    private static final int BLOCK_FLOATS = 1 << 17;

    private ConvWeightsDot() {
    }

    /** Few rows (at most 64) or channels filling at most half a vector. */
    static boolean suits(ConvGeometry g) {
        return g.colRows() <= 64 || 2 * g.groupOutC() <= L;
    }

    /** Adds {@code d(sum y*gy)/dw} to {@code gw} and, when {@code gb} is not null, {@code d/dbias} to {@code gb}. */
    static void backward(float[] x, float[] gy, float[] gw, float[] gb, int n, ConvGeometry g) {
        ConvPlan plan = ConvPlan.of(g);
        int m = g.outC();
        int k = plan.kOff.length;
        int wSize = m * k;
        int gvSize = m * plan.positions * L;
        int block = Math.max(1, Math.min(n, BLOCK_FLOATS / (plan.padSize + gvSize)));
        Engine backend = Engine.current();
        long macs = (long) wSize * plan.positions * L;
        int grain = (int) Math.max(1, (1 << 18) / Math.max(1, macs));
        int chunks = backend.chunks(n, grain);
        int per = wSize + m;
        float[] partial = Workspace.get(Workspace.PARTIAL, chunks * per);
        java.util.Arrays.fill(partial, 0, chunks * per, 0f);
        backend.parallelFor(n, grain, (chunk, from, to) -> {
            float[] pads = Workspace.get(Workspace.PAD, block * plan.padSize);
            float[] gv = Workspace.get(Workspace.PAD2, block * gvSize);
            float[] out = Workspace.get(Workspace.TILE, ConvTiles.DM * ConvTiles.DN);
            int base = chunk * per;
            for (int b0 = from; b0 < to; b0 += block) {
                int count = Math.min(block, to - b0);
                for (int t = 0; t < count; t++) {
                    int s = b0 + t;
                    plan.pad(x, s * g.inSize(), pads, t * plan.padSize);
                    layGradient(plan, gy, s * g.outSize(), m, gv, t * gvSize, partial, base + wSize);
                }
                tiles(plan, count, gv, gvSize, pads, out, partial, base);
            }
        });
        for (int c = 0; c < chunks; c++) {
            int base = c * per;
            for (int i = 0; i < wSize; i++) {
                gw[i] += partial[base + i];
            }
            if (gb != null) {
                for (int o = 0; o < m; o++) {
                    gb[o] += partial[base + wSize + o];
                }
            }
        }
    }

    /**
     * Lays out the output gradient of one sample by positions ({@code [m][positions][L]}, zero in lanes without an
     * output) and adds each channel's sum to {@code sums[sOff + o]}.
     */
    private static void layGradient(ConvPlan plan, float[] gy, int gyOff, int m, float[] gv, int gvOff,
                                    float[] sums, int sOff) {
        int positions = plan.positions;
        int outPlane = plan.g.outPlane();
        if (!Engine.vectorsNow()) {
            layGradientScalar(plan, gy, gyOff, m, gv, gvOff, sums, sOff);
            return;
        }
        for (int o = 0; o < m; o++) {
            int row = gyOff + o * outPlane;
            int dst = gvOff + o * positions * L;
            FloatVector sum = FloatVector.zero(S);
            for (int p = 0; p < positions; p++) {
                int len = plan.len1[p];
                FloatVector v;
                if (len == L) {
                    v = FloatVector.fromArray(S, gy, row + plan.dst1[p]);
                } else {
                    v = len > 0 ? FloatVector.fromArray(S, gy, row + plan.dst1[p], S.indexInRange(0, len))
                            : FloatVector.zero(S);
                    int s2 = plan.start2[p];
                    int e2 = plan.end2[p];
                    if (e2 > s2) {
                        v = v.add(FloatVector.fromArray(S, gy, row + plan.dst2[p] - s2, S.indexInRange(-s2, e2 - s2)));
                    }
                }
                v.intoArray(gv, dst + p * L);
                sum = sum.add(v);
            }
            sums[sOff + o] += VMath.sum(sum);
        }
    }

    /** The scalar twin of {@link #layGradient}. */
    private static void layGradientScalar(ConvPlan plan, float[] gy, int gyOff, int m, float[] gv, int gvOff,
                                          float[] sums, int sOff) {
        int positions = plan.positions;
        int outPlane = plan.g.outPlane();
        float[] lanes = Workspace.get(Workspace.LANES, L);
        for (int o = 0; o < m; o++) {
            int row = gyOff + o * outPlane;
            int dst = gvOff + o * positions * L;
            java.util.Arrays.fill(lanes, 0, L, 0f);
            for (int p = 0; p < positions; p++) {
                int len = plan.len1[p];
                int s2 = plan.start2[p];
                int e2 = plan.end2[p];
                for (int l = 0; l < L; l++) {
                    float v;
                    if (len == L) {
                        v = gy[row + plan.dst1[p] + l];
                    } else {
                        // lanes outside a masked load are 0, and a second segment is added onto the first
                        v = l < len ? gy[row + plan.dst1[p] + l] : 0f;
                        if (e2 > s2) {
                            v = v + (l >= s2 && l < e2 ? gy[row + plan.dst2[p] + l - s2] : 0f);
                        }
                    }
                    gv[dst + p * L + l] = v;
                    lanes[l] = lanes[l] + v;
                }
            }
            sums[sOff + o] += VMath.sumScalar(lanes, 0);
        }
    }

    /** Adds the weight gradients of one block of {@code count} samples into {@code partial[base ..]}. */
    private static void tiles(ConvPlan plan, int count, float[] gv, int gvSize, float[] pads, float[] out,
                              float[] partial, int base) {
        ConvGeometry g = plan.g;
        int k = plan.kOff.length;
        int mg = g.groupOutC();
        int[] kOff = plan.kOff;
        int pl = plan.positions * L;
        for (int grp = 0; grp < g.groups(); grp++) {
            int padBase = grp * g.groupInC() * plan.hp * plan.wp;
            for (int i0 = 0; i0 < mg; i0 += ConvTiles.DM) {
                int rows = Math.min(ConvTiles.DM, mg - i0);
                int o0 = grp * mg + i0;
                int last = o0 + rows - 1;
                for (int j0 = 0; j0 < k; j0 += ConvTiles.DN) {
                    int cols = Math.min(ConvTiles.DN, k - j0);
                    java.util.Arrays.fill(out, 0, ConvTiles.DM * ConvTiles.DN, 0f);
                    int g1 = Math.min(o0 + 1, last) * pl;
                    int g2 = Math.min(o0 + 2, last) * pl;
                    int g3 = Math.min(o0 + 3, last) * pl;
                    int x0 = padBase + kOff[j0];
                    int x1 = padBase + kOff[Math.min(j0 + 1, k - 1)];
                    int x2 = padBase + kOff[Math.min(j0 + 2, k - 1)];
                    int x3 = padBase + kOff[Math.min(j0 + 3, k - 1)];
                    int x4 = padBase + kOff[Math.min(j0 + 4, k - 1)];
                    int x5 = padBase + kOff[Math.min(j0 + 5, k - 1)];
                    if (Engine.vectorsNow()) {
                        ConvTiles.dot(count, gv, gvSize, o0 * pl, g1, g2, g3, pads, plan.padSize, x0, x1, x2, x3,
                                x4, x5, plan.src, plan.positions, out);
                    } else {
                        ConvTiles.dotScalar(count, gv, gvSize, o0 * pl, g1, g2, g3, pads, plan.padSize, x0, x1, x2,
                                x3, x4, x5, plan.src, plan.positions, out,
                                Workspace.get(Workspace.LANES, ConvTiles.DM * ConvTiles.DN * L));
                    }
                    for (int r = 0; r < rows; r++) {
                        int dst = base + (o0 + r) * k + j0;
                        for (int j = 0; j < cols; j++) {
                            partial[dst + j] += out[r * ConvTiles.DN + j];
                        }
                    }
                }
            }
        }
    }
}
