package org.retina.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Stride-1 convolution as an implicit GEMM over a zero-padded copy of each sample ({@link ConvPlan}): no column
 * matrix is ever written. Forward computes 8 output channels by 3 vector positions per register tile, reading
 * weights as broadcasts and the padded input as vectors; backward data is the forward convolution of the padded
 * output gradient with the flipped, transposed weights (backward weights: {@link ConvWeights}).
 */
final class ConvImplicit {
    private static final VectorSpecies<Float> S = GemmKernel.S;
    private static final int L = GemmKernel.L;

    private ConvImplicit() {
    }

    /** Whether the implicit path computes this geometry: stride 1 (any dilation, padding and groups). */
    static boolean supports(ConvGeometry g) {
        return g.strideH() == 1 && g.strideW() == 1;
    }

    /**
     * The share of the forward tiles' lanes that land on output pixels: the plane over the lanes of the 3-position
     * tiles its positions fill. (Output channels fill 8-row tiles here and 6-row tiles in a packed GEMM alike.)
     */
    static double laneUse(ConvGeometry g) {
        ConvPlan plan = ConvPlan.of(g);
        long lanes = (long) (plan.positions + ConvTiles.FN - 1) / ConvTiles.FN * ConvTiles.FN * L;
        return (double) g.outPlane() / lanes;
    }

    /** Whether backward data can run as a forward convolution: no padding wider than the kernel's span. */
    static boolean supportsBackwardData(ConvGeometry g) {
        int spanH = (g.kH() - 1) * g.dilationH();
        int spanW = (g.kW() - 1) * g.dilationW();
        return supports(g) && g.padTop() <= spanH && g.padBottom() <= spanH && g.padLeft() <= spanW
                && g.padRight() <= spanW;
    }

    /** {@code y = conv(x, w) + bias}, {@code w} as {@code [outC][inC/groups * kH * kW]}; overwrites {@code y}. */
    static void forward(float[] x, float[] w, float[] bias, float[] y, int n, ConvGeometry g) {
        forward(x, w, bias, y, n, g, null);
    }

    /** As {@link #forward(float[], float[], float[], float[], int, ConvGeometry)}, then {@code e} on each row tile. */
    static void forward(float[] x, float[] w, float[] bias, float[] y, int n, ConvGeometry g, Epilogue e) {
        ConvPlan plan = ConvPlan.of(g);
        int mTiles = (g.groupOutC() + ConvTiles.FM - 1) / ConvTiles.FM;
        int perSample = g.groups() * mTiles;
        long macsPerUnit = (long) ConvTiles.FM * plan.kOff.length * plan.positions * L;
        int grain = (int) Math.max(1, (1 << 18) / macsPerUnit);
        Engine.current().parallelFor(n * perSample, grain, (chunk, from, to) -> {
            float[] pad = Workspace.get(Workspace.PAD, plan.padSize);
            float[] tile = Workspace.get(Workspace.TILE, ConvTiles.FM * ConvTiles.FN * L);
            int last = -1;
            for (int unit = from; unit < to; unit++) {
                int s = unit / perSample;
                int grp = unit % perSample / mTiles;
                int mt = unit % mTiles;
                if (s != last) {
                    plan.pad(x, s * g.inSize(), pad, 0);
                    last = s;
                }
                forwardRows(plan, w, bias, grp, mt, pad, y, s * g.outSize(), tile, e);
            }
        });
    }

    /**
     * Output channels {@code [mt*8, mt*8 + 8)} of group {@code grp} of one sample, at every position; then {@code e}
     * (null for none) on those rows while they are still in cache.
     */
    private static void forwardRows(ConvPlan plan, float[] w, float[] bias, int grp, int mt, float[] pad, float[] y,
                                    int yOff, float[] tile, Epilogue e) {
        ConvGeometry g = plan.g;
        int k = plan.kOff.length;
        int mg = g.groupOutC();
        int oc0 = grp * mg + mt * ConvTiles.FM;
        int rows = Math.min(ConvTiles.FM, mg - mt * ConvTiles.FM);
        int lastRow = oc0 + rows - 1;
        int w0 = oc0 * k;
        int w1 = Math.min(oc0 + 1, lastRow) * k;
        int w2 = Math.min(oc0 + 2, lastRow) * k;
        int w3 = Math.min(oc0 + 3, lastRow) * k;
        int w4 = Math.min(oc0 + 4, lastRow) * k;
        int w5 = Math.min(oc0 + 5, lastRow) * k;
        int w6 = Math.min(oc0 + 6, lastRow) * k;
        int w7 = Math.min(oc0 + 7, lastRow) * k;
        int padBase = grp * g.groupInC() * plan.hp * plan.wp;
        int positions = plan.positions;
        int[] src = plan.src;
        int outPlane = g.outPlane();
        for (int p = 0; p < positions; p += ConvTiles.FN) {
            int cols = Math.min(ConvTiles.FN, positions - p);
            int s0 = padBase + src[p];
            int s1 = padBase + src[Math.min(p + 1, positions - 1)];
            int s2 = padBase + src[Math.min(p + 2, positions - 1)];
            if (!Engine.vectorsNow()) {
                ConvTiles.forwardScalar(k, w, w0, w1, w2, w3, w4, w5, w6, w7, plan.kOff, pad, s0, s1, s2, tile);
                storeScalar(plan, p, rows, cols, tile, bias, oc0, y, yOff);
                continue;
            }
            ConvTiles.forward(k, w, w0, w1, w2, w3, w4, w5, w6, w7, plan.kOff, pad, s0, s1, s2, tile);
            for (int r = 0; r < rows; r++) {
                int yRow = yOff + (oc0 + r) * outPlane;
                float b = bias == null ? 0f : bias[oc0 + r];
                for (int j = 0; j < cols; j++) {
                    FloatVector v = FloatVector.fromArray(S, tile, (r * ConvTiles.FN + j) * L);
                    if (bias != null) {
                        v = v.add(b);
                    }
                    store(plan, p + j, v, y, yRow);
                }
            }
        }
        for (int r = 0; e != null && r < rows; r++) {
            e.apply(y, yOff + (oc0 + r) * outPlane, outPlane, oc0 + r);
        }
    }

    /** The scalar twin of the vector stores: tile plus bias into the valid lanes of positions {@code p ..}. */
    private static void storeScalar(ConvPlan plan, int p, int rows, int cols, float[] tile, float[] bias, int oc0,
                                    float[] y, int yOff) {
        int outPlane = plan.g.outPlane();
        for (int r = 0; r < rows; r++) {
            int yRow = yOff + (oc0 + r) * outPlane;
            for (int j = 0; j < cols; j++) {
                int t = (r * ConvTiles.FN + j) * L;
                int q = p + j;
                for (int l = 0; l < L; l++) {
                    int at = l < plan.len1[q] ? yRow + plan.dst1[q] + l
                            : l >= plan.start2[q] && l < plan.end2[q] ? yRow + plan.dst2[q] + l - plan.start2[q] : -1;
                    if (at >= 0) {
                        y[at] = bias == null ? tile[t + l] : tile[t + l] + bias[oc0 + r];
                    }
                }
            }
        }
    }

    /** Writes the valid lanes of position {@code p} into the output plane at {@code yRow}. */
    private static void store(ConvPlan plan, int p, FloatVector v, float[] y, int yRow) {
        int len = plan.len1[p];
        if (len == L) {
            v.intoArray(y, yRow + plan.dst1[p]);
        } else if (len > 0) {
            v.intoArray(y, yRow + plan.dst1[p], S.indexInRange(0, len));
        }
        int s2 = plan.start2[p];
        int e2 = plan.end2[p];
        if (e2 > s2) {
            v.intoArray(y, yRow + plan.dst2[p] - s2, S.indexInRange(-s2, e2 - s2));
        }
    }

    /** {@code gx = d(sum y*gy)/dx}, the forward convolution of {@code gy} with flipped weights; overwrites. */
    static void backwardData(float[] gy, float[] w, float[] gx, int n, ConvGeometry g) {
        int spanH = (g.kH() - 1) * g.dilationH();
        int spanW = (g.kW() - 1) * g.dilationW();
        ConvGeometry t = new ConvGeometry(g.outC(), g.outH(), g.outW(), g.inC(), g.inH(), g.inW(), g.kH(), g.kW(),
                1, 1, spanH - g.padTop(), spanH - g.padBottom(), spanW - g.padLeft(), spanW - g.padRight(),
                g.dilationH(), g.dilationW(), g.groups());
        int kh = g.kH();
        int kw = g.kW();
        int cg = g.groupInC();
        int mg = g.groupOutC();
        int taps = kh * kw;
        float[] wf = Workspace.get(Workspace.WEIGHTS, w.length);
        for (int grp = 0; grp < g.groups(); grp++) {
            for (int c = 0; c < cg; c++) {
                int dst = (grp * cg + c) * mg * taps;
                for (int o = 0; o < mg; o++) {
                    int from = ((grp * mg + o) * cg + c) * taps;
                    for (int q = 0; q < taps; q++) {
                        wf[dst + o * taps + q] = w[from + taps - 1 - q];
                    }
                }
            }
        }
        forward(gy, wf, null, gx, n, t);
    }
}
