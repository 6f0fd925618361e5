package org.retina.kernel;

/**
 * A fully connected layer over a batch as GEMMs: {@code y[n x out] = x[n x in] * w^T + b}, weight
 * {@code [out, in]}. Each product is split by rows of its result, so every value is summed by one thread in a
 * fixed order whatever the thread count.
 */
public final class DenseKernels {
    private DenseKernels() {
    }

    /** {@code y = x * w^T + bias}; {@code bias} may be null. Overwrites {@code y}. */
    public static void forward(float[] x, float[] w, float[] bias, float[] y, int n, int in, int out) {
        Engine.current().parallelFor(n, (chunk, from, to) -> {
            Gemm.sgemm(false, true, to - from, out, in, x, from * in, in, w, 0, in, y, from * out, out, false);
            if (bias != null) {
                for (int s = from; s < to; s++) {
                    int off = s * out;
                    for (int o = 0; o < out; o++) {
                        y[off + o] += bias[o];
                    }
                }
            }
        });
    }

    /** {@code gx = gy * w}. Overwrites {@code gx}. */
    public static void backwardData(float[] gy, float[] w, float[] gx, int n, int in, int out) {
        Engine.current().parallelFor(n, (chunk, from, to) ->
                Gemm.sgemm(false, false, to - from, in, out, gy, from * out, out, w, 0, in, gx, from * in, in,
                        false));
    }

    /** Adds {@code gy^T * x} to {@code gw} and, when {@code gb} is not null, the column sums of {@code gy} to it. */
    public static void backwardWeights(float[] x, float[] gy, float[] gw, float[] gb, int n, int in, int out) {
        Engine.current().parallelFor(out, (chunk, from, to) -> {
            Gemm.sgemm(true, false, to - from, in, n, gy, from, out, x, 0, in, gw, from * in, in, true);
            if (gb != null) {
                for (int o = from; o < to; o++) {
                    float sum = 0f;
                    for (int s = 0; s < n; s++) {
                        sum += gy[s * out + o];
                    }
                    gb[o] += sum;
                }
            }
        });
    }
}
