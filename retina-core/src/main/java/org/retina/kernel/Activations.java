package org.retina.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Activation functions and dropout, forward and backward, over {@code n} contiguous floats with PyTorch's formulas;
 * softmax and log-softmax over the channel axis of {@code (outer, channels, inner)} blocks. Outputs are overwritten.
 */
public final class Activations {
    /** Below this many elements an elementwise op runs on the calling thread: a fork costs more than it saves. */
    private static final int PARALLEL_MIN = 1 << 15;
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private Activations() {
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

    /** {@code y = max(x, 0)}. */
    public static void relu(float[] x, float[] y, int n) {
        elementwise(n, (from, to) -> {
            int i = from;
            FloatVector zero = FloatVector.zero(S);
            for (boolean vec = Engine.vectorsNow(); vec && i <= to - L; i += L) {
                FloatVector v = FloatVector.fromArray(S, x, i);
                // x > 0 ? x : 0, NaN included: not max(), which would keep a NaN
                zero.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, i);
            }
            for (; i < to; i++) {
                y[i] = x[i] > 0f ? x[i] : 0f;
            }
        });
    }

    /** {@code gx = gy} where {@code y > 0}, else 0 (PyTorch's threshold backward on the output: 0 at x = 0). */
    public static void reluBackward(float[] y, float[] gy, float[] gx, int n) {
        elementwise(n, (from, to) -> {
            int i = from;
            FloatVector zero = FloatVector.zero(S);
            for (boolean vec = Engine.vectorsNow(); vec && i <= to - L; i += L) {
                VectorMask<Float> on = FloatVector.fromArray(S, y, i).compare(VectorOperators.GT, 0f);
                zero.blend(FloatVector.fromArray(S, gy, i), on).intoArray(gx, i);
            }
            for (; i < to; i++) {
                gx[i] = y[i] > 0f ? gy[i] : 0f;
            }
        });
    }

    /** {@code y = x > 0 ? x : slope * x}. */
    public static void leakyRelu(float[] x, float[] y, int n, float slope) {
        elementwise(n, (from, to) -> {
            for (int i = from; i < to; i++) {
                y[i] = x[i] > 0f ? x[i] : slope * x[i];
            }
        });
    }

    /** {@code gx = x > 0 ? gy : slope * gy}, on the input as PyTorch does (the output's sign flips for a negative slope). */
    public static void leakyReluBackward(float[] x, float[] gy, float[] gx, int n, float slope) {
        elementwise(n, (from, to) -> {
            for (int i = from; i < to; i++) {
                gx[i] = x[i] > 0f ? gy[i] : slope * gy[i];
            }
        });
    }

    /** {@code y = 1 / (1 + exp(-x))}, exp as {@link VMath#expShifted}. */
    public static void sigmoid(float[] x, float[] y, int n) {
        float[] zero = {0f};
        elementwise(n, (from, to) -> {
            int i = from;
            for (boolean vec = Engine.vectorsNow(); vec && i <= to - L; i += L) {
                FloatVector.fromArray(S, x, i).neg().intoArray(y, i);
            }
            for (; i < to; i++) {
                y[i] = -x[i];
            }
            VMath.expShifted(y, from, zero, 0, false, y, from, to - from);
            i = from;
            FloatVector one = FloatVector.broadcast(S, 1f);
            for (boolean vec = Engine.vectorsNow(); vec && i <= to - L; i += L) {
                one.div(one.add(FloatVector.fromArray(S, y, i))).intoArray(y, i);
            }
            for (; i < to; i++) {
                y[i] = 1f / (1f + y[i]);
            }
        });
    }

    /** {@code gx = gy * y * (1 - y)}. */
    public static void sigmoidBackward(float[] y, float[] gy, float[] gx, int n) {
        elementwise(n, (from, to) -> {
            int i = from;
            for (boolean vec = Engine.vectorsNow(); vec && i <= to - L; i += L) {
                FloatVector v = FloatVector.fromArray(S, y, i);
                FloatVector.fromArray(S, gy, i).mul(v).mul(v.neg().add(1f)).intoArray(gx, i);
            }
            for (; i < to; i++) {
                gx[i] = gy[i] * y[i] * (1f - y[i]);
            }
        });
    }

    public static void tanh(float[] x, float[] y, int n) {
        elementwise(n, (from, to) -> VMath.tanh(x, from, y, from, to - from));
    }

    /** {@code gx = gy * (1 - y^2)}. */
    public static void tanhBackward(float[] y, float[] gy, float[] gx, int n) {
        elementwise(n, (from, to) -> {
            int i = from;
            for (boolean vec = Engine.vectorsNow(); vec && i <= to - L; i += L) {
                FloatVector v = FloatVector.fromArray(S, y, i);
                FloatVector.fromArray(S, gy, i).mul(v.neg().fma(v, FloatVector.broadcast(S, 1f))).intoArray(gx, i);
            }
            for (; i < to; i++) {
                gx[i] = gy[i] * Math.fma(-y[i], y[i], 1f);
            }
        });
    }

    /** {@code y = x * scale} where the dropout stream keeps element {@code i}, else 0. */
    public static void dropout(float[] x, float[] y, int n, float p, long seed) {
        float scale = 1f / (1f - p);
        elementwise(n, (from, to) -> {
            for (int i = from; i < to; i++) {
                y[i] = kept(seed, i, p) ? x[i] * scale : 0f;
            }
        });
    }

    /** {@code gx = gy * scale} where the forward with the same seed kept element {@code i}, else 0. */
    public static void dropoutBackward(float[] gy, float[] gx, int n, float p, long seed) {
        dropout(gy, gx, n, p, seed);
    }

    /**
     * Whether element {@code i} survives: the SplitMix64 value at counter {@code i} of stream {@code seed}, as 24
     * bits in [0, 1), is at least {@code p}. A counter-based draw lets any thread regenerate any element, so the
     * mask need not be stored and does not depend on the chunking.
     */
    static boolean kept(long seed, int i, float p) {
        long z = seed + (i + 1L) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 40) * 0x1.0p-24f >= p;
    }

    /**
     * Softmax over the channels of each of {@code outer} blocks {@code (channels, inner)}: for every inner index,
     * {@code y = exp(x - max) / sum(exp(x - max))}; subtracting the max keeps exp from overflowing.
     */
    public static void softmax(float[] x, float[] y, int outer, int channels, int inner) {
        softmaxFamily(x, y, outer, channels, inner, false);
    }

    /** {@code y = x - max - log(sum(exp(x - max)))} over the channels, per inner index. */
    public static void logSoftmax(float[] x, float[] y, int outer, int channels, int inner) {
        softmaxFamily(x, y, outer, channels, inner, true);
    }

    private static void softmaxFamily(float[] x, float[] y, int outer, int channels, int inner, boolean log) {
        int grain = Math.max(1, PARALLEL_MIN / Math.max(1, channels * inner));
        Engine.current().parallelFor(outer, grain, (chunk, from, to) -> {
            float[] t = Workspace.get(Workspace.TMP, 2 * inner);
            for (int o = from; o < to; o++) {
                int base = o * channels * inner;
                if (inner == 1) {
                    softmaxRow(x, y, base, channels, log, t);
                } else {
                    softmaxColumns(x, y, base, channels, inner, log, t);
                }
            }
        });
    }

    /** Softmax of one contiguous row of {@code channels} values (a classifier's output). */
    private static void softmaxRow(float[] x, float[] y, int base, int channels, boolean log, float[] t) {
        float max = x[base];
        for (int c = 1; c < channels; c++) {
            max = Math.max(max, x[base + c]);
        }
        t[0] = max;
        VMath.expShifted(x, base, t, 0, false, y, base, channels);
        float sum = (float) NormKernels.sum(y, base, channels);
        if (log) {
            double logSum = Math.log(sum);
            for (int c = 0; c < channels; c++) {
                y[base + c] = (float) (x[base + c] - max - logSum);
            }
        } else {
            for (int c = 0; c < channels; c++) {
                y[base + c] = y[base + c] / sum;
            }
        }
    }

    /** Softmax over the channels of a {@code (channels, inner)} block, {@code L} inner positions at a time. */
    private static void softmaxColumns(float[] x, float[] y, int base, int channels, int inner, boolean log,
                                       float[] t) {
        int sum = inner;
        System.arraycopy(x, base, t, 0, inner);
        for (int c = 1; c < channels; c++) {
            int off = base + c * inner;
            int i = 0;
            for (boolean vec = Engine.vectorsNow(); vec && i <= inner - L; i += L) {
                FloatVector.fromArray(S, t, i).max(FloatVector.fromArray(S, x, off + i)).intoArray(t, i);
            }
            for (; i < inner; i++) {
                t[i] = Math.max(t[i], x[off + i]);
            }
        }
        java.util.Arrays.fill(t, sum, sum + inner, 0f);
        for (int c = 0; c < channels; c++) {
            int off = base + c * inner;
            VMath.expShifted(x, off, t, 0, true, y, off, inner);
            int i = 0;
            for (boolean vec = Engine.vectorsNow(); vec && i <= inner - L; i += L) {
                FloatVector.fromArray(S, t, sum + i).add(FloatVector.fromArray(S, y, off + i)).intoArray(t, sum + i);
            }
            for (; i < inner; i++) {
                t[sum + i] += y[off + i];
            }
        }
        for (int c = 0; c < channels; c++) {
            int off = base + c * inner;
            for (int i = 0; i < inner; i++) {
                y[off + i] = log ? (float) (x[off + i] - t[i] - Math.log(t[sum + i])) : y[off + i] / t[sum + i];
            }
        }
    }

    /** Softmax backward from its output: {@code gx = y * (gy - sum_c(gy * y))}. */
    public static void softmaxBackward(float[] y, float[] gy, float[] gx, int outer, int channels, int inner) {
        softmaxFamilyBackward(y, gy, gx, outer, channels, inner, false);
    }

    /** Log-softmax backward from its output: {@code gx = gy - exp(y) * sum_c(gy)}. */
    public static void logSoftmaxBackward(float[] y, float[] gy, float[] gx, int outer, int channels, int inner) {
        softmaxFamilyBackward(y, gy, gx, outer, channels, inner, true);
    }

    private static void softmaxFamilyBackward(float[] y, float[] gy, float[] gx, int outer, int channels, int inner,
                                              boolean log) {
        Engine.current().parallelFor(outer, (chunk, from, to) -> {
            float[] dot = Workspace.get(Workspace.TMP, inner);
            for (int o = from; o < to; o++) {
                int base = o * channels * inner;
                java.util.Arrays.fill(dot, 0, inner, 0f);
                for (int c = 0; c < channels; c++) {
                    int off = base + c * inner;
                    for (int i = 0; i < inner; i++) {
                        dot[i] += log ? gy[off + i] : gy[off + i] * y[off + i];
                    }
                }
                for (int c = 0; c < channels; c++) {
                    int off = base + c * inner;
                    for (int i = 0; i < inner; i++) {
                        gx[off + i] = log ? gy[off + i] - (float) Math.exp(y[off + i]) * dot[i]
                                : y[off + i] * (gy[off + i] - dot[i]);
                    }
                }
            }
        });
    }
}
