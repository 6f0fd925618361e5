package org.retina.kernel;

/**
 * Local response normalization across channels of {@code (n, channels, inner)} data, PyTorch's rule:
 * {@code y[c] = x[c] / (k + alpha/size * sum of x[j]^2 for j in [c - size/2, c + (size-1)/2])^beta}, the
 * window clipped at the first and last channel. Sums run in double; one sample per task.
 */
public final class LrnKernels {
    private LrnKernels() {
    }

    /**
     * Forward; {@code denom} (same size as {@code x}) receives {@code k + alpha/size * sum} per element, which
     * backward needs.
     */
    public static void forward(float[] x, float[] y, float[] denom, int n, int channels, int inner, int size,
                               double alpha, double beta, double k) {
        int front = size / 2;
        int back = (size - 1) / 2;
        double a = alpha / size;
        Engine.current().parallelFor(n, (chunk, from, to) -> {
            double[] sum = new double[inner];
            for (int s = from; s < to; s++) {
                int base = s * channels * inner;
                for (int c = 0; c < channels; c++) {
                    java.util.Arrays.fill(sum, 0);
                    for (int j = Math.max(0, c - front); j <= Math.min(channels - 1, c + back); j++) {
                        int off = base + j * inner;
                        for (int i = 0; i < inner; i++) {
                            double v = x[off + i];
                            sum[i] += v * v;
                        }
                    }
                    int off = base + c * inner;
                    for (int i = 0; i < inner; i++) {
                        double d = k + a * sum[i];
                        denom[off + i] = (float) d;
                        y[off + i] = (float) (x[off + i] * Math.pow(d, -beta));
                    }
                }
            }
        });
    }

    /**
     * {@code gx[j] = gy[j] * d[j]^-beta - 2*beta*alpha/size * x[j] * sum over the windows c holding j of
     * gy[c] * x[c] * d[c]^(-beta-1)}, with {@code d} the forward's {@code denom}.
     */
    public static void backward(float[] x, float[] denom, float[] gy, float[] gx, int n, int channels, int inner,
                                int size, double alpha, double beta) {
        int front = size / 2;
        int back = (size - 1) / 2;
        double a = alpha / size;
        Engine.current().parallelFor(n, (chunk, from, to) -> {
            double[] sum = new double[inner];
            for (int s = from; s < to; s++) {
                int base = s * channels * inner;
                for (int j = 0; j < channels; j++) {
                    java.util.Arrays.fill(sum, 0);
                    // channel j lies in the window of channel c when c - front <= j <= c + back
                    for (int c = Math.max(0, j - back); c <= Math.min(channels - 1, j + front); c++) {
                        int off = base + c * inner;
                        for (int i = 0; i < inner; i++) {
                            sum[i] += gy[off + i] * x[off + i] * Math.pow(denom[off + i], -beta - 1);
                        }
                    }
                    int off = base + j * inner;
                    for (int i = 0; i < inner; i++) {
                        gx[off + i] = (float) (gy[off + i] * Math.pow(denom[off + i], -beta)
                                - 2 * beta * a * x[off + i] * sum[i]);
                    }
                }
            }
        });
    }
}
