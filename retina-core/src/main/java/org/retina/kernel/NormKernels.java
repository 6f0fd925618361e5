package org.retina.kernel;

/**
 * Batch normalization over {@code (n, channels, inner)} data, one channel per task: statistics over the
 * {@code n * inner} values of a channel, summed in double. {@code gamma}/{@code beta} (and their gradients) are
 * null for a non-affine normalization.
 */
public final class NormKernels {
    private NormKernels() {
    }

    /**
     * Training forward: normalizes with the batch mean and biased variance, saves the mean and
     * {@code 1/sqrt(var + eps)} per channel for backward, and moves the running statistics towards the batch's
     * by {@code momentum}, with the unbiased variance ({@code var * m/(m-1)}, {@code m = n*inner > 1}).
     */
    public static void batchNormTrain(float[] x, float[] y, float[] gamma, float[] beta, float[] runningMean,
                                      float[] runningVar, float[] saveMean, float[] saveInvStd, int n, int channels,
                                      int inner, float eps, float momentum) {
        int m = n * inner;
        CpuBackend.get().parallelFor(channels, (chunk, from, to) -> {
            for (int ch = from; ch < to; ch++) {
                double sum = 0;
                for (int s = 0; s < n; s++) {
                    int off = (s * channels + ch) * inner;
                    for (int i = 0; i < inner; i++) {
                        sum += x[off + i];
                    }
                }
                double mean = sum / m;
                double sq = 0;
                for (int s = 0; s < n; s++) {
                    int off = (s * channels + ch) * inner;
                    for (int i = 0; i < inner; i++) {
                        double d = x[off + i] - mean;
                        sq += d * d;
                    }
                }
                double var = sq / m;
                double invStd = 1.0 / Math.sqrt(var + eps);
                saveMean[ch] = (float) mean;
                saveInvStd[ch] = (float) invStd;
                normalize(x, y, gamma, beta, ch, mean, invStd, n, channels, inner);
                runningMean[ch] = (float) ((1.0 - momentum) * runningMean[ch] + momentum * mean);
                runningVar[ch] = (float) ((1.0 - momentum) * runningVar[ch] + momentum * var * m / (m - 1));
            }
        });
    }

    /** Evaluation forward: {@code y = (x - runningMean) / sqrt(runningVar + eps) * gamma + beta}. */
    public static void batchNormEval(float[] x, float[] y, float[] gamma, float[] beta, float[] runningMean,
                                     float[] runningVar, int n, int channels, int inner, float eps) {
        CpuBackend.get().parallelFor(channels, (chunk, from, to) -> {
            for (int ch = from; ch < to; ch++) {
                normalize(x, y, gamma, beta, ch, runningMean[ch], 1.0 / Math.sqrt((double) runningVar[ch] + eps),
                        n, channels, inner);
            }
        });
    }

    private static void normalize(float[] x, float[] y, float[] gamma, float[] beta, int ch, double mean,
                                  double invStd, int n, int channels, int inner) {
        double scale = gamma == null ? invStd : gamma[ch] * invStd;
        double shift = (beta == null ? 0.0 : beta[ch]) - mean * scale;
        for (int s = 0; s < n; s++) {
            int off = (s * channels + ch) * inner;
            for (int i = 0; i < inner; i++) {
                y[off + i] = (float) (x[off + i] * scale + shift);
            }
        }
    }

    /**
     * Training backward through the batch statistics, with {@code xhat = (x - mean) * invStd}:
     * {@code gx = gamma * invStd / m * (m*gy - sum(gy) - xhat * sum(gy*xhat))}; adds {@code sum(gy*xhat)} to
     * {@code gGamma} and {@code sum(gy)} to {@code gBeta}. Overwrites {@code gx}.
     */
    public static void batchNormBackward(float[] x, float[] gy, float[] gx, float[] gamma, float[] gGamma,
                                         float[] gBeta, float[] saveMean, float[] saveInvStd, int n, int channels,
                                         int inner) {
        int m = n * inner;
        CpuBackend.get().parallelFor(channels, (chunk, from, to) -> {
            for (int ch = from; ch < to; ch++) {
                double mean = saveMean[ch];
                double invStd = saveInvStd[ch];
                double sumGy = 0;
                double sumGyXhat = 0;
                for (int s = 0; s < n; s++) {
                    int off = (s * channels + ch) * inner;
                    for (int i = 0; i < inner; i++) {
                        sumGy += gy[off + i];
                        sumGyXhat += gy[off + i] * ((x[off + i] - mean) * invStd);
                    }
                }
                if (gGamma != null) {
                    gGamma[ch] += (float) sumGyXhat;
                    gBeta[ch] += (float) sumGy;
                }
                double k = (gamma == null ? 1.0 : gamma[ch]) * invStd;
                double meanGy = sumGy / m;
                double meanGyXhat = sumGyXhat / m;
                for (int s = 0; s < n; s++) {
                    int off = (s * channels + ch) * inner;
                    for (int i = 0; i < inner; i++) {
                        double xhat = (x[off + i] - mean) * invStd;
                        gx[off + i] = (float) (k * (gy[off + i] - meanGy - xhat * meanGyXhat));
                    }
                }
            }
        });
    }
}
