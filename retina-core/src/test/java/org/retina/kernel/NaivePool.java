package org.retina.kernel;

/**
 * The pooling kernels written from their definitions, tap by tap with a bounds test each, for
 * {@code PoolKernelTest}: slow and obvious.
 */
final class NaivePool {
    private NaivePool() {
    }

    private static int inY(ConvGeometry g, int oy, int u) {
        return oy * g.strideH() - g.padTop() + u * g.dilationH();
    }

    private static int inX(ConvGeometry g, int ox, int v) {
        return ox * g.strideW() - g.padLeft() + v * g.dilationW();
    }

    private static boolean inside(ConvGeometry g, int iy, int ix) {
        return iy >= 0 && iy < g.inH() && ix >= 0 && ix < g.inW();
    }

    /** Inside the input or its padding: PyTorch clips the window end to {@code in + pad}. */
    private static boolean insidePadded(ConvGeometry g, int iy, int ix) {
        return iy < g.inH() + g.padBottom() && ix < g.inW() + g.padRight();
    }

    static void maxForward(float[] x, float[] y, int[] arg, int n, ConvGeometry g) {
        for (int p = 0; p < n * g.inC(); p++) {
            for (int oy = 0; oy < g.outH(); oy++) {
                for (int ox = 0; ox < g.outW(); ox++) {
                    float max = Float.NEGATIVE_INFINITY;
                    int best = -1;
                    for (int u = 0; u < g.kH(); u++) {
                        for (int v = 0; v < g.kW(); v++) {
                            int iy = inY(g, oy, u), ix = inX(g, ox, v);
                            if (!inside(g, iy, ix)) {
                                continue;
                            }
                            int idx = iy * g.inW() + ix;
                            float val = x[p * g.inPlane() + idx];
                            if (best < 0) {
                                best = idx; // a window of -inf points at its first input pixel
                            }
                            if (val > max || Float.isNaN(val)) {
                                max = val;
                                best = idx;
                            }
                        }
                    }
                    int o = p * g.outPlane() + oy * g.outW() + ox;
                    y[o] = max;
                    arg[o] = best;
                }
            }
        }
    }

    static void maxBackward(float[] gy, int[] arg, float[] gx, int n, ConvGeometry g) {
        java.util.Arrays.fill(gx, 0, n * g.inSize(), 0f);
        for (int p = 0; p < n * g.inC(); p++) {
            for (int o = 0; o < g.outPlane(); o++) {
                gx[p * g.inPlane() + arg[p * g.outPlane() + o]] += gy[p * g.outPlane() + o];
            }
        }
    }

    /** The weight (1 for a plain mean) and count of each tap, summed over the taps the divisor counts. */
    private static double divisor(ConvGeometry g, float[] w, boolean includePad, int oy, int ox) {
        double d = 0;
        for (int u = 0; u < g.kH(); u++) {
            for (int v = 0; v < g.kW(); v++) {
                int iy = inY(g, oy, u), ix = inX(g, ox, v);
                if (includePad ? insidePadded(g, iy, ix) : inside(g, iy, ix)) {
                    d += w == null ? 1 : w[u * g.kW() + v];
                }
            }
        }
        return d;
    }

    static void avgForward(float[] x, float[] w, float[] y, int n, ConvGeometry g, boolean includePad) {
        for (int p = 0; p < n * g.inC(); p++) {
            for (int oy = 0; oy < g.outH(); oy++) {
                for (int ox = 0; ox < g.outW(); ox++) {
                    float sum = 0f;
                    for (int u = 0; u < g.kH(); u++) {
                        for (int v = 0; v < g.kW(); v++) {
                            int iy = inY(g, oy, u), ix = inX(g, ox, v);
                            if (inside(g, iy, ix)) {
                                float xv = x[p * g.inPlane() + iy * g.inW() + ix];
                                sum += w == null ? xv : w[u * g.kW() + v] * xv;
                            }
                        }
                    }
                    y[p * g.outPlane() + oy * g.outW() + ox] = (float) (sum / divisor(g, w, includePad, oy, ox));
                }
            }
        }
    }

    static void avgBackward(float[] gy, float[] w, float[] gx, int n, ConvGeometry g, boolean includePad) {
        java.util.Arrays.fill(gx, 0, n * g.inSize(), 0f);
        for (int p = 0; p < n * g.inC(); p++) {
            for (int oy = 0; oy < g.outH(); oy++) {
                for (int ox = 0; ox < g.outW(); ox++) {
                    double share = gy[p * g.outPlane() + oy * g.outW() + ox] / divisor(g, w, includePad, oy, ox);
                    for (int u = 0; u < g.kH(); u++) {
                        for (int v = 0; v < g.kW(); v++) {
                            int iy = inY(g, oy, u), ix = inX(g, ox, v);
                            if (inside(g, iy, ix)) {
                                gx[p * g.inPlane() + iy * g.inW() + ix] += (float) (w == null ? share
                                        : share * w[u * g.kW() + v]);
                            }
                        }
                    }
                }
            }
        }
    }

    /** PyTorch's {@code lp_pool2d}: {@code (avg_pool2d(x^p) * kH*kW)^(1/p)}, the average counting padding. */
    static void lpForward(float[] x, float[] y, int n, ConvGeometry g, double p) {
        for (int pl = 0; pl < n * g.inC(); pl++) {
            for (int oy = 0; oy < g.outH(); oy++) {
                for (int ox = 0; ox < g.outW(); ox++) {
                    double avg = powerSum(x, pl, g, oy, ox, p) / divisor(g, null, true, oy, ox);
                    y[pl * g.outPlane() + oy * g.outW() + ox] = (float) Math.pow(avg * g.kH() * g.kW(), 1 / p);
                }
            }
        }
    }

    /** d y / d x_i = (1/p) B^(1/p - 1) * (kH*kW/count) * p x_i^(p-1), B the base under the root; 0 where B is 0. */
    static void lpBackward(float[] x, float[] gy, float[] gx, int n, ConvGeometry g, double p) {
        java.util.Arrays.fill(gx, 0, n * g.inSize(), 0f);
        for (int pl = 0; pl < n * g.inC(); pl++) {
            for (int oy = 0; oy < g.outH(); oy++) {
                for (int ox = 0; ox < g.outW(); ox++) {
                    double scale = g.kH() * g.kW() / divisor(g, null, true, oy, ox);
                    double base = powerSum(x, pl, g, oy, ox, p) * scale;
                    double dBase = base == 0 && p > 1 ? 0 : Math.pow(base, 1 / p - 1) / p;
                    for (int u = 0; u < g.kH(); u++) {
                        for (int v = 0; v < g.kW(); v++) {
                            int iy = inY(g, oy, u), ix = inX(g, ox, v);
                            if (inside(g, iy, ix)) {
                                int i = pl * g.inPlane() + iy * g.inW() + ix;
                                gx[i] += (float) (gy[pl * g.outPlane() + oy * g.outW() + ox] * dBase * scale * p
                                        * Math.pow(x[i], p - 1));
                            }
                        }
                    }
                }
            }
        }
    }

    private static double powerSum(float[] x, int pl, ConvGeometry g, int oy, int ox, double p) {
        double s = 0;
        for (int u = 0; u < g.kH(); u++) {
            for (int v = 0; v < g.kW(); v++) {
                int iy = inY(g, oy, u), ix = inX(g, ox, v);
                if (inside(g, iy, ix)) {
                    s += Math.pow(x[pl * g.inPlane() + iy * g.inW() + ix], p);
                }
            }
        }
        return s;
    }
}
