package org.retina.kernel;

/**
 * Mean, sum and maximum over chosen axes of each sample: a sample of {@code dims} is read in order, and element
 * {@code i} goes to output {@code sum_d k_d outStride[d]} (the stride is 0 along a reduced axis, so every element
 * of a reduced run meets its output). Sums in double, in input order.
 */
public final class ReduceKernels {
    /** The ops: {@code MEAN}, {@code SUM}, {@code MAX}. */
    public static final int MEAN = 0;
    /** The sum. */
    public static final int SUM = 1;
    /** The maximum; the gradient goes to the first maximal element. */
    public static final int MAX = 2;

    private ReduceKernels() {
    }

    /**
     * Reduces {@code n} samples of {@code dims} ({@code in} values each) into {@code out} values each; for
     * {@link #MAX} the flat input index of each output's maximum goes to {@code argmax}.
     */
    public static void reduce(int op, float[] x, float[] y, int[] argmax, int n, int[] dims, int[] outStride, int in,
            int out) {
        int count = in / out;
        Engine.current().parallelFor(n, (chunk, from, to) -> {
            double[] acc = new double[out];
            int[] best = new int[out];
            int[] k = new int[dims.length];
            for (int s = from; s < to; s++) {
                java.util.Arrays.fill(acc, 0);
                java.util.Arrays.fill(best, -1);
                java.util.Arrays.fill(k, 0);
                int o = 0;
                for (int i = 0; i < in; i++) {
                    float v = x[s * in + i];
                    if (op != MAX) {
                        acc[o] += v;
                    } else if (best[o] < 0 || v > acc[o] || v != v && acc[o] == acc[o]) { // the first NaN wins
                        acc[o] = v;
                        best[o] = i;
                    }
                    o = step(k, dims, outStride, o);
                }
                for (int j = 0; j < out; j++) {
                    y[s * out + j] = (float) (op == MEAN ? acc[j] / count : acc[j]);
                    if (op == MAX) {
                        argmax[s * out + j] = s * in + best[j];
                    }
                }
            }
        });
    }

    /** Advances the odometer {@code k} over {@code dims}; returns the next element's output index. */
    private static int step(int[] k, int[] dims, int[] outStride, int o) {
        for (int d = dims.length - 1; d >= 0; d--) {
            o += outStride[d];
            if (++k[d] < dims[d]) {
                return o;
            }
            o -= outStride[d] * dims[d];
            k[d] = 0;
        }
        return o;
    }

    /** The gradient of {@link #reduce}: {@code gy} spread back (divided by the count for a mean). */
    public static void reduceBackward(int op, float[] gy, float[] gx, int[] argmax, int n, int[] dims,
            int[] outStride, int in, int out) {
        if (op == MAX) {
            for (int j = 0; j < n * out; j++) {
                gx[argmax[j]] += gy[j];
            }
            return;
        }
        float scale = op == MEAN ? (float) out / in : 1f;
        Engine.current().parallelFor(n, (chunk, from, to) -> {
            int[] k = new int[dims.length];
            for (int s = from; s < to; s++) {
                java.util.Arrays.fill(k, 0);
                int o = 0;
                for (int i = 0; i < in; i++) {
                    gx[s * in + i] = gy[s * out + o] * scale;
                    o = step(k, dims, outStride, o);
                }
            }
        });
    }
}
