package org.retina.kernel;

import java.util.Arrays;

/**
 * A locally connected 2-D layer (a convolution whose weights differ at every output position) over a batch.
 * Weight {@code [outH*outW, outC, inC*kH*kW]} (column {@code c*kH*kW + u*kW + v}, the im2col row order), bias
 * {@code [outC, outH, outW]}. Forward and the weight gradient run one GEMM per output position with the batch as
 * rows, positions split across threads; the input gradient runs per sample, samples split across threads.
 * Either way every value is summed by one thread in a fixed order.
 */
public final class LocalKernels {
    private LocalKernels() {
    }

    /** Copies the window of output position {@code (oy, ox)} of the sample at {@code xOff}, zeros outside. */
    private static void gather(float[] x, int xOff, ConvGeometry g, int oy, int ox, float[] dst, int dstOff) {
        int k = dstOff;
        for (int c = 0; c < g.inC(); c++) {
            int xc = xOff + c * g.inPlane();
            for (int u = 0; u < g.kH(); u++) {
                int iy = oy * g.strideH() - g.padTop() + u;
                boolean rowIn = iy >= 0 && iy < g.inH();
                for (int v = 0; v < g.kW(); v++, k++) {
                    int ix = ox * g.strideW() - g.padLeft() + v;
                    dst[k] = rowIn && ix >= 0 && ix < g.inW() ? x[xc + iy * g.inW() + ix] : 0f;
                }
            }
        }
    }

    /** Adds a window's gradient back into the sample at {@code xOff}, dropping the padding. */
    private static void scatterAdd(float[] src, int srcOff, ConvGeometry g, int oy, int ox, float[] x, int xOff) {
        int k = srcOff;
        for (int c = 0; c < g.inC(); c++) {
            int xc = xOff + c * g.inPlane();
            for (int u = 0; u < g.kH(); u++) {
                int iy = oy * g.strideH() - g.padTop() + u;
                boolean rowIn = iy >= 0 && iy < g.inH();
                for (int v = 0; v < g.kW(); v++, k++) {
                    int ix = ox * g.strideW() - g.padLeft() + v;
                    if (rowIn && ix >= 0 && ix < g.inW()) {
                        x[xc + iy * g.inW() + ix] += src[k];
                    }
                }
            }
        }
    }

    /** {@code y[s, o, p] = bias[o, p] + sum_k w[p, o, k] * window(s, p)[k]}; {@code bias} may be null. */
    public static void forward(float[] x, float[] w, float[] bias, float[] y, int n, ConvGeometry g) {
        int positions = g.outPlane();
        int outC = g.outC();
        int k = g.colRows();
        Engine.current().parallelFor(positions, (chunk, from, to) -> {
            float[] windows = Workspace.get(Workspace.COL, n * k);
            float[] out = Workspace.get(Workspace.TMP, n * outC);
            for (int p = from; p < to; p++) {
                int oy = p / g.outW(), ox = p % g.outW();
                for (int s = 0; s < n; s++) {
                    gather(x, s * g.inSize(), g, oy, ox, windows, s * k);
                }
                // (n x k) * (outC x k)^T: this position's weights, read once for the whole batch
                Gemm.sgemm(false, true, n, outC, k, windows, 0, k, w, p * outC * k, k, out, 0, outC, false);
                for (int s = 0; s < n; s++) {
                    for (int o = 0; o < outC; o++) {
                        y[s * g.outSize() + o * positions + p] = out[s * outC + o]
                                + (bias == null ? 0f : bias[o * positions + p]);
                    }
                }
            }
        });
    }

    /** Adds {@code d(sum y*gy)/dw} to {@code gw} and, when {@code gb} is not null, {@code d/dbias} to {@code gb}. */
    public static void backwardWeights(float[] x, float[] gy, float[] gw, float[] gb, int n, ConvGeometry g) {
        int positions = g.outPlane();
        int outC = g.outC();
        int k = g.colRows();
        Engine.current().parallelFor(positions, (chunk, from, to) -> {
            float[] windows = Workspace.get(Workspace.COL, n * k);
            float[] grad = Workspace.get(Workspace.TMP, n * outC);
            for (int p = from; p < to; p++) {
                int oy = p / g.outW(), ox = p % g.outW();
                for (int s = 0; s < n; s++) {
                    gather(x, s * g.inSize(), g, oy, ox, windows, s * k);
                    for (int o = 0; o < outC; o++) {
                        grad[s * outC + o] = gy[s * g.outSize() + o * positions + p];
                    }
                }
                Gemm.sgemm(true, false, outC, k, n, grad, 0, outC, windows, 0, k, gw, p * outC * k, k, true);
                if (gb != null) {
                    for (int o = 0; o < outC; o++) {
                        float sum = 0f;
                        for (int s = 0; s < n; s++) {
                            sum += grad[s * outC + o];
                        }
                        gb[o * positions + p] += sum;
                    }
                }
            }
        });
    }

    /** {@code gx = d(sum y*gy)/dx}. Overwrites {@code gx}. */
    public static void backwardData(float[] gy, float[] w, float[] gx, int n, ConvGeometry g) {
        int positions = g.outPlane();
        int outC = g.outC();
        int k = g.colRows();
        Engine.current().parallelFor(n, (chunk, from, to) -> {
            float[] window = Workspace.get(Workspace.COL, k);
            float[] grad = Workspace.get(Workspace.TMP, outC);
            for (int s = from; s < to; s++) {
                int xOff = s * g.inSize();
                Arrays.fill(gx, xOff, xOff + g.inSize(), 0f);
                for (int p = 0; p < positions; p++) {
                    for (int o = 0; o < outC; o++) {
                        grad[o] = gy[s * g.outSize() + o * positions + p];
                    }
                    Gemm.sgemm(false, false, 1, k, outC, grad, 0, outC, w, p * outC * k, k, window, 0, k, false);
                    scatterAdd(window, 0, g, p / g.outW(), p % g.outW(), gx, xOff);
                }
            }
        });
    }
}
