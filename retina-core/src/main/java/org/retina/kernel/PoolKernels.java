package org.retina.kernel;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Max, average, weighted-average and power-average pooling over a batch, forward and backward, one
 * {@code (H, W)} plane at a time. The geometry has {@code outC == inC}; positions outside the input are padding,
 * and every window must read at least one input pixel (the layers check this at build).
 */
public final class PoolKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private PoolKernels() {
    }

    /**
     * How many taps {@code j < k} of a window whose first tap is at {@code first}, spaced {@code d}, lie below
     * {@code limit}: taps {@code [taps(0), taps(in))} are inside the input.
     */
    static int tapsBelow(int limit, int first, int d, int k) {
        int span = limit - first;
        return span <= 0 ? 0 : Math.min(k, (span + d - 1) / d);
    }

    /** Planes per chunk worth a hand-over to another thread: about 16K input values. */
    private static int grain(ConvGeometry g) {
        return Math.max(1, (1 << 14) / g.inPlane());
    }

    /**
     * {@code y} = the window maxima; when {@code arg} is not null, it receives each maximum's index in its input
     * plane ({@code iy*inW + ix}). PyTorch's CPU rule: the first maximum in scan order wins a tie, a NaN wins
     * over any number, and a window of {@code -inf} points at its first input pixel. Overwrites {@code y}.
     */
    public static void maxForward(float[] x, float[] y, int[] arg, int n, ConvGeometry g) {
        int inPlane = g.inPlane(), outPlane = g.outPlane();
        int inH = g.inH(), inW = g.inW(), outH = g.outH(), outW = g.outW();
        int kH = g.kH(), kW = g.kW(), dH = g.dilationH(), dW = g.dilationW();
        if (Pool2x2.applies(g)) {
            Engine.current().parallelFor(n * g.inC(), grain(g), (chunk, from, to) -> {
                for (int p = from; p < to; p++) {
                    Pool2x2.max(x, p * inPlane, y, p * outPlane, arg, g);
                }
            });
            return;
        }
        if (arg == null) {
            maxSeparable(x, y, n, g);
            return;
        }
        Engine.current().parallelFor(n * g.inC(), (chunk, from, to) -> {
            for (int p = from; p < to; p++) {
                int xOff = p * inPlane;
                int yOff = p * outPlane;
                for (int oy = 0; oy < outH; oy++) {
                    int fy = oy * g.strideH() - g.padTop();
                    int uLo = tapsBelow(0, fy, dH, kH), uHi = tapsBelow(inH, fy, dH, kH);
                    for (int ox = 0; ox < outW; ox++) {
                        int fx = ox * g.strideW() - g.padLeft();
                        int vLo = tapsBelow(0, fx, dW, kW), vHi = tapsBelow(inW, fx, dW, kW);
                        int best = (fy + uLo * dH) * inW + fx + vLo * dW;
                        float max = Float.NEGATIVE_INFINITY;
                        for (int u = uLo; u < uHi; u++) {
                            int row = (fy + u * dH) * inW + fx;
                            for (int v = vLo; v < vHi; v++) {
                                int idx = row + v * dW;
                                float val = x[xOff + idx];
                                if (val > max || Float.isNaN(val)) {
                                    max = val;
                                    best = idx;
                                }
                            }
                        }
                        int o = yOff + oy * outW + ox;
                        y[o] = max;
                        arg[o] = best;
                    }
                }
            }
        });
    }

    /**
     * The window maxima without their positions (inference): the maximum of each window's rows first, column by
     * column over the whole input row (a loop the JIT vectorizes), then of each window's columns in that row. The
     * same values as the scan ({@code Math.max}: a NaN wins); of equal zeros of both signs either may come out.
     */
    private static void maxSeparable(float[] x, float[] y, int n, ConvGeometry g) {
        int inPlane = g.inPlane(), outPlane = g.outPlane();
        int inH = g.inH(), inW = g.inW(), outH = g.outH(), outW = g.outW();
        int kH = g.kH(), kW = g.kW(), dH = g.dilationH(), dW = g.dilationW();
        Engine.current().parallelFor(n * g.inC(), grain(g), (chunk, from, to) -> {
            // room for whole vectors past the row's end: stride2's loads read there, its kept lanes never do
            float[] rows = new float[inW + 2 * L];
            // the outputs whose windows lie inside a row, of a stride-2 window without dilation: on vectors
            boolean two = g.strideW() == 2 && dW == 1 && Engine.vectorsNow();
            int lo = (g.padLeft() + 1) / 2;
            int hi = Math.max(lo, Math.min(outW, (inW - kW + g.padLeft()) / 2 + 1));
            for (int p = from; p < to; p++) {
                int xOff = p * inPlane;
                int yOff = p * outPlane;
                for (int oy = 0; oy < outH; oy++) {
                    int fy = oy * g.strideH() - g.padTop();
                    int uLo = tapsBelow(0, fy, dH, kH), uHi = tapsBelow(inH, fy, dH, kH);
                    if (uLo >= uHi) {
                        java.util.Arrays.fill(y, yOff + oy * outW, yOff + (oy + 1) * outW, Float.NEGATIVE_INFINITY);
                        continue;
                    }
                    System.arraycopy(x, xOff + (fy + uLo * dH) * inW, rows, 0, inW);
                    for (int u = uLo + 1; u < uHi; u++) {
                        maxInto(rows, x, xOff + (fy + u * dH) * inW, inW);
                    }
                    int done = two ? stride2(rows, g.padLeft(), kW, y, yOff + oy * outW, lo, hi) : lo;
                    for (int ox = 0; ox < outW; ox++) {
                        if (ox == lo && done > lo) {
                            ox = done - 1;
                            continue;
                        }
                        int fx = ox * g.strideW() - g.padLeft();
                        float max;
                        if (fx >= 0 && fx + (kW - 1) * dW < inW) {
                            // inside the row: no bounds to work out (two divisions a pixel cost more than the maxima)
                            max = rows[fx];
                            for (int v = 1; v < kW; v++) {
                                max = Math.max(max, rows[fx + v * dW]);
                            }
                        } else {
                            int vLo = tapsBelow(0, fx, dW, kW), vHi = tapsBelow(inW, fx, dW, kW);
                            max = Float.NEGATIVE_INFINITY;
                            for (int v = vLo; v < vHi; v++) {
                                max = Math.max(max, rows[fx + v * dW]);
                            }
                        }
                        y[yOff + oy * outW + ox] = max;
                    }
                }
            }
        });
    }

    /**
     * {@code rows[i] = max(rows[i], x[off + i])} for {@code i < len}, on vectors: the plain loop, though the JIT
     * vectorizes it, made SqueezeNet's max pools a fifth of its inference. The vector maximum is {@code Math.max}'s:
     * a NaN wins.
     */
    private static void maxInto(float[] rows, float[] x, int off, int len) {
        int i = 0;
        if (Engine.vectorsNow()) {
            for (; i < len; i += L) {
                VectorMask<Float> m = S.indexInRange(i, len);
                FloatVector.fromArray(S, rows, i, m).max(FloatVector.fromArray(S, x, off + i, m)).intoArray(rows, i, m);
            }
            return;
        }
        for (; i < len; i++) {
            rows[i] = Math.max(rows[i], x[off + i]);
        }
    }

    /**
     * {@code y[yOff + ox] = max over v < kW of rows[2 ox - pad + v]} for whole vectors of {@code ox} from {@code lo}
     * on, below {@code hi} (windows inside the row, stride 2, no dilation): each tap's values are the even lanes of
     * two vectors. The maxima are taken in tap order, as the scalar loop takes them. Returns the first {@code ox}
     * left undone.
     */
    private static int stride2(float[] rows, int pad, int kW, float[] y, int yOff, int lo, int hi) {
        int ox = lo;
        for (; ox + L <= hi; ox += L) {
            int src = 2 * ox - pad;
            FloatVector m = Pool2x2.EVEN.selectFrom(FloatVector.fromArray(S, rows, src),
                    FloatVector.fromArray(S, rows, src + L));
            for (int v = 1; v < kW; v++) {
                m = m.max(Pool2x2.EVEN.selectFrom(FloatVector.fromArray(S, rows, src + v),
                        FloatVector.fromArray(S, rows, src + v + L)));
            }
            m.intoArray(y, yOff + ox);
        }
        return ox;
    }

    /** {@code gx} = each output gradient routed to its window's arg-max, overlapping windows adding; overwrites. */
    public static void maxBackward(float[] gy, int[] arg, float[] gx, int n, ConvGeometry g) {
        int inPlane = g.inPlane(), outPlane = g.outPlane();
        if (Pool2x2.applies(g)) {
            Engine.current().parallelFor(n * g.inC(), grain(g), (chunk, from, to) -> {
                for (int p = from; p < to; p++) {
                    Pool2x2.maxBackward(gy, p * outPlane, arg, gx, p * inPlane, g);
                }
            });
            return;
        }
        Engine.current().parallelFor(n * g.inC(), (chunk, from, to) -> {
            for (int p = from; p < to; p++) {
                int xOff = p * inPlane;
                int yOff = p * outPlane;
                Arrays.fill(gx, xOff, xOff + inPlane, 0f);
                for (int o = 0; o < outPlane; o++) {
                    gx[xOff + arg[yOff + o]] += gy[yOff + o];
                }
            }
        });
    }

    /**
     * {@code y} = the window averages, weighted by {@code weights} ({@code [kH*kW]}, summing to 1) or plain
     * when {@code weights} is null. PyTorch's divisor: with {@code countIncludePad} the window clipped to the
     * padded input ({@code padBottom}, {@code padRight} included, a ceil-mode overhang beyond them not), else
     * the input pixels the window reads. Overwrites {@code y}.
     */
    public static void avgForward(float[] x, float[] weights, float[] y, int n, ConvGeometry g,
                                  boolean countIncludePad) {
        int inPlane = g.inPlane(), outPlane = g.outPlane();
        int inH = g.inH(), inW = g.inW(), outH = g.outH(), outW = g.outW();
        int kH = g.kH(), kW = g.kW(), dH = g.dilationH(), dW = g.dilationW();
        if (weights == null && Pool2x2.applies(g)) {
            Engine.current().parallelFor(n * g.inC(), grain(g), (chunk, from, to) -> {
                for (int p = from; p < to; p++) {
                    Pool2x2.avg(x, p * inPlane, y, p * outPlane, g);
                }
            });
            return;
        }
        Engine.current().parallelFor(n * g.inC(), (chunk, from, to) -> {
            for (int p = from; p < to; p++) {
                int xOff = p * inPlane;
                int yOff = p * outPlane;
                for (int oy = 0; oy < outH; oy++) {
                    int fy = oy * g.strideH() - g.padTop();
                    int uLo = tapsBelow(0, fy, dH, kH), uHi = tapsBelow(inH, fy, dH, kH);
                    int uCount = countIncludePad ? tapsBelow(inH + g.padBottom(), fy, dH, kH) : uHi;
                    for (int ox = 0; ox < outW; ox++) {
                        int fx = ox * g.strideW() - g.padLeft();
                        int vLo = tapsBelow(0, fx, dW, kW), vHi = tapsBelow(inW, fx, dW, kW);
                        int vCount = countIncludePad ? tapsBelow(inW + g.padRight(), fx, dW, kW) : vHi;
                        float sum = 0f;
                        for (int u = uLo; u < uHi; u++) {
                            int row = xOff + (fy + u * dH) * inW + fx;
                            if (weights == null) {
                                for (int v = vLo; v < vHi; v++) {
                                    sum += x[row + v * dW];
                                }
                            } else {
                                for (int v = vLo; v < vHi; v++) {
                                    sum += weights[u * kW + v] * x[row + v * dW];
                                }
                            }
                        }
                        int cLo = countIncludePad ? 0 : uLo, dLo = countIncludePad ? 0 : vLo;
                        y[yOff + oy * outW + ox] = sum / divisor(weights, kH, kW, cLo, uCount, dLo, vCount);
                    }
                }
            }
        });
    }

    /** The gradient of {@link #avgForward} with the same arguments. Overwrites {@code gx}. */
    public static void avgBackward(float[] gy, float[] weights, float[] gx, int n, ConvGeometry g,
                                   boolean countIncludePad) {
        int inPlane = g.inPlane(), outPlane = g.outPlane();
        int inH = g.inH(), inW = g.inW(), outH = g.outH(), outW = g.outW();
        int kH = g.kH(), kW = g.kW(), dH = g.dilationH(), dW = g.dilationW();
        if (weights == null && Pool2x2.applies(g)) {
            Engine.current().parallelFor(n * g.inC(), grain(g), (chunk, from, to) -> {
                for (int p = from; p < to; p++) {
                    Pool2x2.avgBackward(gy, p * outPlane, gx, p * inPlane, g);
                }
            });
            return;
        }
        Engine.current().parallelFor(n * g.inC(), (chunk, from, to) -> {
            for (int p = from; p < to; p++) {
                int xOff = p * inPlane;
                int yOff = p * outPlane;
                Arrays.fill(gx, xOff, xOff + inPlane, 0f);
                for (int oy = 0; oy < outH; oy++) {
                    int fy = oy * g.strideH() - g.padTop();
                    int uLo = tapsBelow(0, fy, dH, kH), uHi = tapsBelow(inH, fy, dH, kH);
                    int uCount = countIncludePad ? tapsBelow(inH + g.padBottom(), fy, dH, kH) : uHi;
                    for (int ox = 0; ox < outW; ox++) {
                        int fx = ox * g.strideW() - g.padLeft();
                        int vLo = tapsBelow(0, fx, dW, kW), vHi = tapsBelow(inW, fx, dW, kW);
                        int vCount = countIncludePad ? tapsBelow(inW + g.padRight(), fx, dW, kW) : vHi;
                        int cLo = countIncludePad ? 0 : uLo, dLo = countIncludePad ? 0 : vLo;
                        float share = gy[yOff + oy * outW + ox] / divisor(weights, kH, kW, cLo, uCount, dLo, vCount);
                        for (int u = uLo; u < uHi; u++) {
                            int row = xOff + (fy + u * dH) * inW + fx;
                            for (int v = vLo; v < vHi; v++) {
                                gx[row + v * dW] += weights == null ? share : share * weights[u * kW + v];
                            }
                        }
                    }
                }
            }
        });
    }

    /** The weight of the counted taps {@code [uLo, uHi) x [vLo, vHi)}: their number, or their weights' sum. */
    private static float divisor(float[] weights, int kH, int kW, int uLo, int uHi, int vLo, int vHi) {
        if (weights == null) {
            return (float) ((uHi - uLo) * (vHi - vLo));
        }
        if (uLo == 0 && vLo == 0 && uHi == kH && vHi == kW) {
            return 1f;
        }
        double s = 0;
        for (int u = uLo; u < uHi; u++) {
            for (int v = vLo; v < vHi; v++) {
                s += weights[u * kW + v];
            }
        }
        return (float) s;
    }

    /**
     * {@code y = (kH*kW / count * sum x^p)^(1/p)} over each window, as PyTorch's {@code lp_pool2d} computes it:
     * an include-pad average of {@code x^p} times the kernel area. For a whole window that is the plain power
     * sum; a ceil-mode window hanging over the edge is scaled up by {@code kH*kW / count}. Overwrites {@code y}.
     */
    public static void lpForward(float[] x, float[] y, int n, ConvGeometry g, double p) {
        int inPlane = g.inPlane(), outPlane = g.outPlane(), outW = g.outW();
        Engine.current().parallelFor(n * g.inC(), (chunk, from, to) -> {
            for (int pl = from; pl < to; pl++) {
                for (int oy = 0; oy < g.outH(); oy++) {
                    for (int ox = 0; ox < outW; ox++) {
                        double base = lpBase(x, pl * inPlane, g, oy, ox, p);
                        y[pl * outPlane + oy * outW + ox] = (float) Math.pow(base, 1 / p);
                    }
                }
            }
        });
    }

    /**
     * The gradient of {@link #lpForward}: {@code dy/dx = scale * x^(p-1) * y^(1-p)}, set to 0 where {@code y == 0}
     * and {@code p > 1}, as PyTorch does, instead of the unbounded limit. Overwrites {@code gx}.
     */
    public static void lpBackward(float[] x, float[] gy, float[] gx, int n, ConvGeometry g, double p) {
        int inPlane = g.inPlane(), outPlane = g.outPlane();
        int inH = g.inH(), inW = g.inW(), outW = g.outW();
        int kH = g.kH(), kW = g.kW(), dH = g.dilationH(), dW = g.dilationW();
        Engine.current().parallelFor(n * g.inC(), (chunk, from, to) -> {
            for (int pl = from; pl < to; pl++) {
                int xOff = pl * inPlane;
                Arrays.fill(gx, xOff, xOff + inPlane, 0f);
                for (int oy = 0; oy < g.outH(); oy++) {
                    int fy = oy * g.strideH() - g.padTop();
                    int uLo = tapsBelow(0, fy, dH, kH), uHi = tapsBelow(inH, fy, dH, kH);
                    for (int ox = 0; ox < outW; ox++) {
                        int fx = ox * g.strideW() - g.padLeft();
                        int vLo = tapsBelow(0, fx, dW, kW), vHi = tapsBelow(inW, fx, dW, kW);
                        double base = lpBase(x, xOff, g, oy, ox, p);
                        double factor = base == 0 && p > 1 ? 0
                                : lpScale(g, fy, fx) * Math.pow(base, (1 - p) / p) * gy[pl * outPlane + oy * outW + ox];
                        for (int u = uLo; u < uHi; u++) {
                            int row = xOff + (fy + u * dH) * inW + fx;
                            for (int v = vLo; v < vHi; v++) {
                                int i = row + v * dW;
                                gx[i] += (float) (factor * (p == 2 ? x[i] : Math.pow(x[i], p - 1)));
                            }
                        }
                    }
                }
            }
        });
    }

    /** {@code scale * sum x^p} over the window of output {@code (oy, ox)}, in double: y is its p-th root. */
    private static double lpBase(float[] x, int xOff, ConvGeometry g, int oy, int ox, double p) {
        int inH = g.inH(), inW = g.inW(), kH = g.kH(), kW = g.kW(), dH = g.dilationH(), dW = g.dilationW();
        int fy = oy * g.strideH() - g.padTop();
        int fx = ox * g.strideW() - g.padLeft();
        int uLo = tapsBelow(0, fy, dH, kH), uHi = tapsBelow(inH, fy, dH, kH);
        int vLo = tapsBelow(0, fx, dW, kW), vHi = tapsBelow(inW, fx, dW, kW);
        double sum = 0;
        for (int u = uLo; u < uHi; u++) {
            int row = xOff + (fy + u * dH) * inW + fx;
            for (int v = vLo; v < vHi; v++) {
                double xv = x[row + v * dW];
                sum += p == 2 ? xv * xv : Math.pow(xv, p);
            }
        }
        return lpScale(g, fy, fx) * sum;
    }

    /** {@code kH*kW / count}, count = the taps inside the padded input: 1 unless a ceil-mode window hangs over. */
    private static double lpScale(ConvGeometry g, int fy, int fx) {
        int count = tapsBelow(g.inH() + g.padBottom(), fy, g.dilationH(), g.kH())
                * tapsBelow(g.inW() + g.padRight(), fx, g.dilationW(), g.kW());
        int area = g.kH() * g.kW();
        return count == area ? 1.0 : (double) area / count;
    }

    /**
     * Writes into {@code w} ({@code [kH*kW]}) the Gaussian weights {@code exp(-((u-cu)^2 + (v-cv)^2) / (2 sigma^2))}
     * around the kernel's centre {@code cu = (kH-1)/2}, {@code cv = (kW-1)/2}, normalised to sum 1.
     */
    public static void gaussianWeights(int kH, int kW, double sigma, float[] w) {
        double cu = (kH - 1) / 2.0, cv = (kW - 1) / 2.0;
        double[] e = new double[kH * kW];
        double total = 0;
        for (int u = 0; u < kH; u++) {
            for (int v = 0; v < kW; v++) {
                double r2 = (u - cu) * (u - cu) + (v - cv) * (v - cv);
                e[u * kW + v] = Math.exp(-r2 / (2 * sigma * sigma));
                total += e[u * kW + v];
            }
        }
        for (int i = 0; i < e.length; i++) {
            w[i] = (float) (e[i] / total);
        }
    }
}
