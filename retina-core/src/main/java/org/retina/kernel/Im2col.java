package org.retina.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Unfolds the windows of one group of one sample into a column matrix {@code [inC/groups*kH*kW, outH*outW]}
 * (row {@code c*kH*kW + u*kW + v}, column {@code oy*outW + ox}), and folds such a matrix back, summing. Rows lie
 * {@code ld} floats apart: the plane for one sample's matrix, more when samples' matrices sit side by side.
 */
public final class Im2col {
    private static final VectorSpecies<Float> S = GemmKernel.S;
    private static final int L = GemmKernel.L;

    private Im2col() {
    }

    /** Writes the column matrix of channels {@code [c0, c0 + g.groupInC())} of the sample at {@code xOff}. */
    public static void im2col(float[] x, int xOff, ConvGeometry g, int c0, float[] col, int colOff, int ld) {
        int inH = g.inH(), inW = g.inW(), outH = g.outH(), outW = g.outW();
        int row = 0;
        for (int c = 0; c < g.groupInC(); c++) {
            int xc = xOff + (c0 + c) * inH * inW;
            for (int u = 0; u < g.kH(); u++) {
                for (int v = 0; v < g.kW(); v++, row++) {
                    int dst = colOff + row * ld;
                    int dy = u * g.dilationH() - g.padTop();
                    int dx = v * g.dilationW() - g.padLeft();
                    for (int oy = 0; oy < outH; oy++) {
                        int iy = oy * g.strideH() + dy;
                        int d = dst + oy * outW;
                        if (iy < 0 || iy >= inH) {
                            java.util.Arrays.fill(col, d, d + outW, 0f);
                            continue;
                        }
                        int src = xc + iy * inW;
                        if (g.strideW() == 1) {
                            int lo = Math.max(0, -dx);
                            int hi = Math.min(outW, inW - dx);
                            if (hi < lo) {
                                hi = lo;
                            }
                            java.util.Arrays.fill(col, d, d + Math.min(lo, outW), 0f);
                            if (hi > lo) {
                                System.arraycopy(x, src + lo + dx, col, d + lo, hi - lo);
                            }
                            java.util.Arrays.fill(col, d + Math.max(hi, lo), d + outW, 0f);
                        } else if (g.strideW() == 2) {
                            // the outputs whose column is inside the row, [lo, hi), read every other float
                            int lo = Math.min(outW, Math.max(0, (1 - dx) / 2));
                            int hi = Math.max(lo, Math.min(outW, (inW - dx + 1) / 2));
                            java.util.Arrays.fill(col, d, d + lo, 0f);
                            everyOther(x, src + 2 * lo + dx, col, d + lo, hi - lo);
                            java.util.Arrays.fill(col, d + hi, d + outW, 0f);
                        } else {
                            for (int ox = 0; ox < outW; ox++) {
                                int ix = ox * g.strideW() + dx;
                                col[d + ox] = ix >= 0 && ix < inW ? x[src + ix] : 0f;
                            }
                        }
                    }
                }
            }
        }
    }

    /** {@code dst[d + j] = x[src + 2j]} for {@code j < count}: two vectors in, their even lanes out. */
    private static void everyOther(float[] x, int src, float[] dst, int d, int count) {
        int j = 0;
        if (Engine.vectorsNow()) {
            for (; j + L <= count && src + 2 * (j + L) <= x.length; j += L) {
                FloatVector a = FloatVector.fromArray(S, x, src + 2 * j);
                FloatVector b = FloatVector.fromArray(S, x, src + 2 * j + L);
                Pool2x2.EVEN.selectFrom(a, b).intoArray(dst, d + j);
            }
        }
        for (; j < count; j++) {
            dst[d + j] = x[src + 2 * j];
        }
    }

    /** Adds the column matrix back into channels {@code [c0, c0 + g.groupInC())} of the sample at {@code xOff}. */
    public static void col2im(float[] col, int colOff, int ld, ConvGeometry g, int c0, float[] x, int xOff) {
        int inH = g.inH(), inW = g.inW(), outH = g.outH(), outW = g.outW();
        int row = 0;
        for (int c = 0; c < g.groupInC(); c++) {
            int xc = xOff + (c0 + c) * inH * inW;
            for (int u = 0; u < g.kH(); u++) {
                for (int v = 0; v < g.kW(); v++, row++) {
                    int src = colOff + row * ld;
                    int dy = u * g.dilationH() - g.padTop();
                    int dx = v * g.dilationW() - g.padLeft();
                    for (int oy = 0; oy < outH; oy++) {
                        int iy = oy * g.strideH() + dy;
                        if (iy < 0 || iy >= inH) {
                            continue;
                        }
                        int dst = xc + iy * inW;
                        int s = src + oy * outW;
                        if (g.strideW() == 1) {
                            int lo = Math.max(0, -dx);
                            int hi = Math.min(outW, inW - dx);
                            for (int ox = lo; ox < hi; ox++) {
                                x[dst + ox + dx] += col[s + ox];
                            }
                        } else {
                            for (int ox = 0; ox < outW; ox++) {
                                int ix = ox * g.strideW() + dx;
                                if (ix >= 0 && ix < inW) {
                                    x[dst + ix] += col[s + ox];
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
