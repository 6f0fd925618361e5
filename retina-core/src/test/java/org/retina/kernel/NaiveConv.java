package org.retina.kernel;

/** Convolution by its definition, in double: the twin {@link ConvKernels} is tested against. */
final class NaiveConv {
    private NaiveConv() {
    }

    /** The input index a tap reads, or -1 where it falls on padding. */
    private static int at(ConvGeometry g, int s, int c, int oy, int ox, int u, int v) {
        int iy = oy * g.strideH() - g.padTop() + u * g.dilationH();
        int ix = ox * g.strideW() - g.padLeft() + v * g.dilationW();
        if (iy < 0 || iy >= g.inH() || ix < 0 || ix >= g.inW()) {
            return -1;
        }
        return ((s * g.inC() + c) * g.inH() + iy) * g.inW() + ix;
    }

    private static int weight(ConvGeometry g, int o, int c, int u, int v) {
        return ((o * g.groupInC() + c) * g.kH() + u) * g.kW() + v;
    }

    static void forward(float[] x, float[] w, float[] bias, float[] y, int n, ConvGeometry g) {
        for (int s = 0; s < n; s++) {
            for (int o = 0; o < g.outC(); o++) {
                int grp = o / g.groupOutC();
                for (int oy = 0; oy < g.outH(); oy++) {
                    for (int ox = 0; ox < g.outW(); ox++) {
                        double sum = bias == null ? 0 : bias[o];
                        for (int c = 0; c < g.groupInC(); c++) {
                            for (int u = 0; u < g.kH(); u++) {
                                for (int v = 0; v < g.kW(); v++) {
                                    int i = at(g, s, grp * g.groupInC() + c, oy, ox, u, v);
                                    if (i >= 0) {
                                        sum += (double) x[i] * w[weight(g, o, c, u, v)];
                                    }
                                }
                            }
                        }
                        y[((s * g.outC() + o) * g.outH() + oy) * g.outW() + ox] = (float) sum;
                    }
                }
            }
        }
    }

    /** Overwrites gx; adds into gw and gb (gb may be null). */
    static void backward(float[] x, float[] w, float[] gy, float[] gx, float[] gw, float[] gb, int n,
                         ConvGeometry g) {
        double[] dx = new double[gx.length];
        double[] dw = new double[gw.length];
        double[] db = new double[g.outC()];
        for (int s = 0; s < n; s++) {
            for (int o = 0; o < g.outC(); o++) {
                int grp = o / g.groupOutC();
                for (int oy = 0; oy < g.outH(); oy++) {
                    for (int ox = 0; ox < g.outW(); ox++) {
                        double d = gy[((s * g.outC() + o) * g.outH() + oy) * g.outW() + ox];
                        db[o] += d;
                        for (int c = 0; c < g.groupInC(); c++) {
                            for (int u = 0; u < g.kH(); u++) {
                                for (int v = 0; v < g.kW(); v++) {
                                    int i = at(g, s, grp * g.groupInC() + c, oy, ox, u, v);
                                    if (i >= 0) {
                                        int wi = weight(g, o, c, u, v);
                                        dx[i] += d * w[wi];
                                        dw[wi] += d * x[i];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        for (int i = 0; i < gx.length; i++) {
            gx[i] = (float) dx[i];
        }
        for (int i = 0; i < gw.length; i++) {
            gw[i] += (float) dw[i];
        }
        if (gb != null) {
            for (int o = 0; o < gb.length; o++) {
                gb[o] += (float) db[o];
            }
        }
    }
}
