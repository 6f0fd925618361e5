package org.retina.kernel;

/**
 * Layer normalization over the channels of {@code (N, C, inner)} data, forward and backward: every one of the
 * {@code N * inner} positions is normalized over its {@code C} values (batch norm, in {@link NormKernels},
 * normalizes each channel over the batch instead).
 */
public final class LayerNormKernels {
    private LayerNormKernels() {
    }

    /**
     * Layer normalization over the channels at each position: {@code x} holds {@code n} samples of
     * {@code channels} planes of {@code inner} positions; every position is normalized over its channels with the
     * biased variance, then scaled and shifted per channel ({@code gamma}, {@code beta}; null for none). The mean
     * and {@code 1/sqrt(var + eps)} of each of the {@code n * inner} positions go to {@code mean} and {@code rstd}.
     * Statistics are summed in double, two passes.
     */
    public static void layerNorm(float[] x, float[] y, float[] gamma, float[] beta, float[] mean, float[] rstd,
            int n, int channels, int inner, double eps) {
        Engine.current().parallelFor(n, (chunk, from, to) -> {
            double[] sum = new double[inner];
            double[] sq = new double[inner];
            for (int s = from; s < to; s++) {
                int base = s * channels * inner;
                java.util.Arrays.fill(sum, 0);
                java.util.Arrays.fill(sq, 0);
                for (int c = 0; c < channels; c++) {
                    int row = base + c * inner;
                    for (int p = 0; p < inner; p++) {
                        sum[p] += x[row + p];
                    }
                }
                for (int p = 0; p < inner; p++) {
                    sum[p] /= channels;
                }
                for (int c = 0; c < channels; c++) {
                    int row = base + c * inner;
                    for (int p = 0; p < inner; p++) {
                        double d = x[row + p] - sum[p];
                        sq[p] += d * d;
                    }
                }
                for (int p = 0; p < inner; p++) {
                    mean[s * inner + p] = (float) sum[p];
                    sq[p] = 1 / Math.sqrt(sq[p] / channels + eps);
                    rstd[s * inner + p] = (float) sq[p];
                }
                for (int c = 0; c < channels; c++) {
                    int row = base + c * inner;
                    float g = gamma == null ? 1f : gamma[c];
                    float b = beta == null ? 0f : beta[c];
                    for (int p = 0; p < inner; p++) {
                        y[row + p] = (float) ((x[row + p] - sum[p]) * sq[p]) * g + b;
                    }
                }
            }
        });
    }

    /**
     * The gradients of {@link #layerNorm}: {@code gx = rstd (g - mean(g) - xhat mean(g xhat))} with
     * {@code g = gy gamma} and the means over the channels; {@code gGamma += sum gy xhat} and
     * {@code gBeta += sum gy} over the samples and positions, in sample order (null when there are none).
     */
    public static void layerNormBackward(float[] x, float[] gy, float[] gx, float[] gamma, float[] gGamma,
            float[] gBeta, float[] mean, float[] rstd, int n, int channels, int inner) {
        Engine.current().parallelFor(n, (chunk, from, to) -> {
            double[] mg = new double[inner];
            double[] mgx = new double[inner];
            for (int s = from; s < to; s++) {
                int base = s * channels * inner;
                int at = s * inner;
                java.util.Arrays.fill(mg, 0);
                java.util.Arrays.fill(mgx, 0);
                for (int c = 0; c < channels; c++) {
                    int row = base + c * inner;
                    float gm = gamma == null ? 1f : gamma[c];
                    for (int p = 0; p < inner; p++) {
                        double g = gy[row + p] * gm;
                        mg[p] += g;
                        mgx[p] += g * (x[row + p] - mean[at + p]) * rstd[at + p];
                    }
                }
                for (int c = 0; c < channels; c++) {
                    int row = base + c * inner;
                    float gm = gamma == null ? 1f : gamma[c];
                    for (int p = 0; p < inner; p++) {
                        double xhat = (x[row + p] - mean[at + p]) * rstd[at + p];
                        double g = gy[row + p] * gm;
                        gx[row + p] = (float) (rstd[at + p] * (g - mg[p] / channels - xhat * mgx[p] / channels));
                    }
                }
            }
        });
        if (gGamma == null) {
            return;
        }
        for (int s = 0; s < n; s++) {
            for (int c = 0; c < channels; c++) {
                int row = (s * channels + c) * inner;
                double gg = 0;
                double gb = 0;
                for (int p = 0; p < inner; p++) {
                    gg += gy[row + p] * (x[row + p] - mean[s * inner + p]) * rstd[s * inner + p];
                    gb += gy[row + p];
                }
                gGamma[c] += (float) gg;
                gBeta[c] += (float) gb;
            }
        }
    }
}
