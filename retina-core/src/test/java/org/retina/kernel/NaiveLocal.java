package org.retina.kernel;

/** The locally connected layer written from its definition in double, the twin of {@link LocalKernels}. */
final class NaiveLocal {
    private NaiveLocal() {
    }

    /** The input value under kernel tap {@code (u, v)} of output {@code (oy, ox)}, or -1 when it is padding. */
    private static int index(ConvGeometry g, int s, int c, int oy, int ox, int u, int v) {
        int iy = oy * g.strideH() - g.padTop() + u;
        int ix = ox * g.strideW() - g.padLeft() + v;
        if (iy < 0 || iy >= g.inH() || ix < 0 || ix >= g.inW()) {
            return -1;
        }
        return ((s * g.inC() + c) * g.inH() + iy) * g.inW() + ix;
    }

    private static int weight(ConvGeometry g, int oy, int ox, int o, int c, int u, int v) {
        int p = oy * g.outW() + ox;
        return (p * g.outC() + o) * g.colRows() + (c * g.kH() + u) * g.kW() + v;
    }

    /** One product term: output index, input index, weight index, bias index. */
    private interface Body {
        void run(int yi, int xi, int wi, int bi);
    }

    /** Runs {@code body} for every (sample, out channel, position, in channel, tap) that reads a real input. */
    private static void each(ConvGeometry g, int n, Body body) {
        for (int s = 0; s < n; s++) {
            for (int o = 0; o < g.outC(); o++) {
                for (int oy = 0; oy < g.outH(); oy++) {
                    for (int ox = 0; ox < g.outW(); ox++) {
                        int yi = ((s * g.outC() + o) * g.outH() + oy) * g.outW() + ox;
                        int bi = (o * g.outH() + oy) * g.outW() + ox;
                        for (int c = 0; c < g.inC(); c++) {
                            for (int u = 0; u < g.kH(); u++) {
                                for (int v = 0; v < g.kW(); v++) {
                                    int xi = index(g, s, c, oy, ox, u, v);
                                    if (xi >= 0) {
                                        body.run(yi, xi, weight(g, oy, ox, o, c, u, v), bi);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    static double[] forward(float[] x, float[] w, float[] b, int n, ConvGeometry g) {
        double[] y = new double[n * g.outSize()];
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < g.outSize(); i++) {
                y[s * g.outSize() + i] = b[i];
            }
        }
        each(g, n, (yi, xi, wi, bi) -> y[yi] += (double) w[wi] * x[xi]);
        return y;
    }

    static double[] gradInput(float[] gy, float[] w, int n, ConvGeometry g) {
        double[] gx = new double[n * g.inSize()];
        each(g, n, (yi, xi, wi, bi) -> gx[xi] += (double) w[wi] * gy[yi]);
        return gx;
    }

    static double[] gradWeight(float[] x, float[] gy, int n, ConvGeometry g) {
        double[] gw = new double[g.outPlane() * g.outC() * g.colRows()];
        each(g, n, (yi, xi, wi, bi) -> gw[wi] += (double) x[xi] * gy[yi]);
        return gw;
    }

    static double[] gradBias(float[] gy, int n, ConvGeometry g) {
        double[] gb = new double[g.outSize()];
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < g.outSize(); i++) {
                gb[i] += gy[s * g.outSize() + i];
            }
        }
        return gb;
    }
}
