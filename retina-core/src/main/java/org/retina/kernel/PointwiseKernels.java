package org.retina.kernel;

import jdk.incubator.vector.FloatVector;

/**
 * Elementwise functions beyond {@link Activations}, forward and backward with PyTorch's formulas: ELU (and SELU
 * through its scale), softplus, softsign, clipping, and the per-channel ops PReLU, scale and shift over
 * {@code (outer, channels, inner)} blocks. Outputs are overwritten; parameter gradients are added into.
 */
public final class PointwiseKernels {
    /** The shift {@link VMath#expShifted} subtracts: none. */
    private static final float[] ZERO = {0f};
    /** Below this many elements an op runs on the calling thread: a fork costs more than it saves. */
    private static final int PARALLEL_MIN = 1 << 15;

    private PointwiseKernels() {
    }

    /** A body over the element range {@code [from, to)}. */
    @FunctionalInterface
    private interface Range {
        void run(int from, int to);
    }

    private static void elementwise(int n, Range body) {
        if (n < PARALLEL_MIN) {
            body.run(0, n);
        } else {
            Engine.current().parallelFor(n, (chunk, from, to) -> body.run(from, to));
        }
    }

    /** {@code y = scale * (x > 0 ? x : alpha * (exp(x) - 1))}: ELU with scale 1, SELU with its constants. */
    public static void elu(float[] x, float[] y, int n, float alpha, float scale) {
        elementwise(n, (from, to) -> {
            for (int i = from; i < to; i++) {
                float v = x[i];
                y[i] = v > 0f ? scale * v : (float) (scale * alpha * Math.expm1(v));
            }
        });
    }

    /** {@code gx = gy * scale} where {@code x > 0}, else {@code gy * scale * alpha * exp(x)}. */
    public static void eluBackward(float[] x, float[] gy, float[] gx, int n, float alpha, float scale) {
        elementwise(n, (from, to) -> {
            for (int i = from; i < to; i++) {
                float v = x[i];
                gx[i] = v > 0f ? gy[i] * scale : (float) (gy[i] * scale * alpha * Math.exp(v));
            }
        });
    }

    /** {@code y = log(1 + exp(beta * x)) / beta}, and {@code y = x} where {@code beta * x > threshold}. */
    public static void softplus(float[] x, float[] y, int n, float beta, float threshold) {
        elementwise(n, (from, to) -> {
            for (int i = from; i < to; i++) {
                double bx = (double) beta * x[i];
                y[i] = bx > threshold ? x[i] : (float) (Math.log1p(Math.exp(bx)) / beta);
            }
        });
    }

    /** {@code gx = gy * sigmoid(beta * x)}, and {@code gx = gy} where {@code beta * x > threshold}. */
    public static void softplusBackward(float[] x, float[] gy, float[] gx, int n, float beta, float threshold) {
        elementwise(n, (from, to) -> {
            for (int i = from; i < to; i++) {
                double bx = (double) beta * x[i];
                gx[i] = bx > threshold ? gy[i] : (float) (gy[i] / (1.0 + Math.exp(-bx)));
            }
        });
    }

    /** {@code y = x / (1 + |x|)}. */
    public static void softsign(float[] x, float[] y, int n) {
        elementwise(n, (from, to) -> {
            for (int i = from; i < to; i++) {
                y[i] = x[i] / (1f + Math.abs(x[i]));
            }
        });
    }

    /** {@code gx = gy / (1 + |x|)^2}. */
    public static void softsignBackward(float[] x, float[] gy, float[] gx, int n) {
        elementwise(n, (from, to) -> {
            for (int i = from; i < to; i++) {
                float d = 1f + Math.abs(x[i]);
                gx[i] = gy[i] / (d * d);
            }
        });
    }

    /** {@code y = min(max(alpha x + beta, 0), 1)}: ONNX's HardSigmoid; PyTorch's is alpha 1/6, beta 1/2. */
    public static void hardSigmoid(float[] x, float[] y, int n, float alpha, float beta) {
        elementwise(n, (from, to) -> {
            for (int i = from; i < to; i++) {
                y[i] = Math.min(Math.max(alpha * x[i] + beta, 0f), 1f);
            }
        });
    }

    /** {@code gx = alpha gy} where {@code 0 < alpha x + beta < 1}, else 0. */
    public static void hardSigmoidBackward(float[] x, float[] gy, float[] gx, int n, float alpha, float beta) {
        elementwise(n, (from, to) -> {
            for (int i = from; i < to; i++) {
                float u = alpha * x[i] + beta;
                gx[i] = u > 0f && u < 1f ? alpha * gy[i] : 0f;
            }
        });
    }

    /** {@code y = x min(max(x / 6 + 1/2, 0), 1)}: PyTorch's and ONNX's HardSwish, {@code x relu6(x + 3) / 6}. */
    public static void hardSwish(float[] x, float[] y, int n) {
        elementwise(n, (from, to) -> {
            for (int i = from; i < to; i++) {
                y[i] = x[i] <= -3f ? 0f : x[i] >= 3f ? x[i] : x[i] * (x[i] + 3f) / 6f;
            }
        });
    }

    /** {@code gx = gy (2x + 3) / 6} on (-3, 3], 0 below, {@code gy} above: PyTorch's rule at the joints. */
    public static void hardSwishBackward(float[] x, float[] gy, float[] gx, int n) {
        elementwise(n, (from, to) -> {
            for (int i = from; i < to; i++) {
                gx[i] = x[i] < -3f ? 0f : x[i] <= 3f ? gy[i] * (2f * x[i] + 3f) / 6f : gy[i];
            }
        });
    }

    /**
     * {@code y = x / (1 + exp(-x))}: exp by {@link VMath#expShifted} (within 2 ulp, the same bits on every path),
     * vectorized; a large negative {@code x} makes the exponential infinite and {@code y} a signed zero, as it should.
     */
    public static void silu(float[] x, float[] y, int n) {
        elementwise(n, (from, to) -> silu(x, from, y, from, to - from, y, from));
    }

    /**
     * {@code y = x / (1 + exp(-x))} over a run, {@code exp(-x)} first written to {@code e}: {@code y} itself (as
     * {@link #silu(float[], float[], int)} does) or, to compute in place ({@code y == x}), a scratch run.
     */
    static void silu(float[] x, int xOff, float[] y, int yOff, int len, float[] e, int eOff) {
        int i = 0;
        for (boolean vec = Engine.vectorsNow(); vec && i <= len - VMath.L; i += VMath.L) {
            FloatVector.fromArray(VMath.S, x, xOff + i).neg().intoArray(e, eOff + i);
        }
        for (; i < len; i++) {
            e[eOff + i] = -x[xOff + i];
        }
        VMath.expShifted(e, eOff, ZERO, 0, false, e, eOff, len);
        i = 0;
        for (boolean vec = Engine.vectorsNow(); vec && i <= len - VMath.L; i += VMath.L) {
            FloatVector.fromArray(VMath.S, x, xOff + i).div(FloatVector.fromArray(VMath.S, e, eOff + i).add(1f))
                    .intoArray(y, yOff + i);
        }
        for (; i < len; i++) {
            y[yOff + i] = x[xOff + i] / (1f + e[eOff + i]);
        }
    }

    /** {@code gx = gy s (1 + x (1 - s))} with {@code s = sigmoid(x)}. */
    public static void siluBackward(float[] x, float[] gy, float[] gx, int n) {
        elementwise(n, (from, to) -> {
            for (int i = from; i < to; i++) {
                double s = 1.0 / (1.0 + Math.exp(-x[i]));
                gx[i] = (float) (gy[i] * s * (1.0 + x[i] * (1.0 - s)));
            }
        });
    }

    /** {@code y = erf(x)}, computed in double ({@link #erf(double)}) and rounded once. */
    public static void erf(float[] x, float[] y, int n) {
        elementwise(n, (from, to) -> {
            for (int i = from; i < to; i++) {
                y[i] = (float) erf((double) x[i]);
            }
        });
    }

    /** {@code gx = gy 2/sqrt(pi) exp(-x^2)}. */
    public static void erfBackward(float[] x, float[] gy, float[] gx, int n) {
        elementwise(n, (from, to) -> {
            for (int i = from; i < to; i++) {
                double v = x[i];
                gx[i] = (float) (gy[i] * TWO_OVER_SQRT_PI * Math.exp(-v * v));
            }
        });
    }

    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

    /**
     * The error function to about 1e-15: its Maclaurin series below |x| = 2.5 (at most 60 terms, whose
     * alternating cancellation costs under two digits there), and above it {@code 1 - erfc(x)} from erfc's
     * continued fraction, which converges fast for large x. Java has no erf; float32 results need far less.
     */
    public static double erf(double x) {
        double ax = Math.abs(x);
        if (ax < 2.5) {
            double x2 = x * x;
            double term = x;
            double sum = x;
            for (int k = 1; k < 60; k++) {
                term *= -x2 / k;
                double add = term / (2 * k + 1);
                sum += add;
                if (Math.abs(add) < 1e-17 * Math.abs(sum)) {
                    break;
                }
            }
            return TWO_OVER_SQRT_PI * sum;
        }
        if (ax > 6) {
            return Math.signum(x);
        }
        // erfc(x) = exp(-x^2)/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...))))), evaluated from the tail
        double f = ax;
        for (int k = 60; k >= 1; k--) {
            f = ax + (k / 2.0) / f;
        }
        double erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
        return Math.copySign(1 - erfc, x);
    }

    /** {@code y = min(max(x, min), max)}. */
    public static void clip(float[] x, float[] y, int n, float min, float max) {
        elementwise(n, (from, to) -> {
            for (int i = from; i < to; i++) {
                y[i] = Math.min(Math.max(x[i], min), max);
            }
        });
    }

    /** {@code gx = gy} where {@code min < x < max}, else 0 (PyTorch's hardtanh backward). */
    public static void clipBackward(float[] x, float[] gy, float[] gx, int n, float min, float max) {
        elementwise(n, (from, to) -> {
            for (int i = from; i < to; i++) {
                gx[i] = x[i] > min && x[i] < max ? gy[i] : 0f;
            }
        });
    }

    /**
     * PReLU over {@code (outer, channels, inner)}: {@code y = x > 0 ? x : slope[c] * x}; one slope for all
     * channels when {@code slope.length == 1}.
     */
    public static void prelu(float[] x, float[] slope, float[] y, int outer, int channels, int inner) {
        Engine.current().parallelFor(outer * channels, (chunk, from, to) -> {
            for (int b = from; b < to; b++) {
                float a = slope[slope.length == 1 ? 0 : b % channels];
                int off = b * inner;
                for (int i = off; i < off + inner; i++) {
                    y[i] = x[i] > 0f ? x[i] : a * x[i];
                }
            }
        });
    }

    /** PReLU backward: {@code gx = x > 0 ? gy : slope * gy}; {@code gSlope[c] += sum of gy * x where x <= 0}. */
    public static void preluBackward(float[] x, float[] slope, float[] gy, float[] gx, float[] gSlope, int outer,
                                     int channels, int inner) {
        for (int b = 0; b < outer * channels; b++) {
            int c = slope.length == 1 ? 0 : b % channels;
            float a = slope[c];
            int off = b * inner;
            double g = 0;
            for (int i = off; i < off + inner; i++) {
                if (x[i] > 0f) {
                    gx[i] = gy[i];
                } else {
                    gx[i] = a * gy[i];
                    g += (double) gy[i] * x[i];
                }
            }
            gSlope[c] += (float) g;
        }
    }

    /**
     * {@code y = x * scale[c] + shift[c]} over {@code (outer, channels, inner)}; either array may be null (1, 0)
     * and holds one value for all channels when its length is 1.
     */
    public static void affine(float[] x, float[] scale, float[] shift, float[] y, int outer, int channels,
                              int inner) {
        Engine.current().parallelFor(outer * channels, (chunk, from, to) -> {
            for (int b = from; b < to; b++) {
                float s = scale == null ? 1f : scale[scale.length == 1 ? 0 : b % channels];
                float t = shift == null ? 0f : shift[shift.length == 1 ? 0 : b % channels];
                int off = b * inner;
                for (int i = off; i < off + inner; i++) {
                    y[i] = x[i] * s + t;
                }
            }
        });
    }

    /**
     * Backward of {@link #affine}: {@code gx = gy * scale[c]}, and adds {@code sum gy * x} into {@code gScale[c]}
     * and {@code sum gy} into {@code gShift[c]}; either may be null, and {@code x} too when {@code gScale} is.
     */
    public static void affineBackward(float[] x, float[] scale, float[] gy, float[] gx, float[] gScale,
                                      float[] gShift, int outer, int channels, int inner) {
        for (int b = 0; b < outer * channels; b++) {
            int c = b % channels;
            float s = scale == null ? 1f : scale[scale.length == 1 ? 0 : c];
            int off = b * inner;
            double gs = 0;
            double gt = 0;
            for (int i = off; i < off + inner; i++) {
                gx[i] = gy[i] * s;
                gs += gScale == null ? 0 : (double) gy[i] * x[i];
                gt += gy[i];
            }
            if (gScale != null) {
                gScale[gScale.length == 1 ? 0 : c] += (float) gs;
            }
            if (gShift != null) {
                gShift[gShift.length == 1 ? 0 : c] += (float) gt;
            }
        }
    }

    /** {@code y = a * b} elementwise over {@code n} floats. */
    public static void multiply(float[] a, float[] b, float[] y, int n) {
        elementwise(n, (from, to) -> {
            for (int i = from; i < to; i++) {
                y[i] = a[i] * b[i];
            }
        });
    }
}
