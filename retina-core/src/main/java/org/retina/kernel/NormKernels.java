package org.retina.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Batch normalization over {@code (n, channels, inner)} data, one channel per task: statistics over the
 * {@code n * inner} values of a channel, each contiguous run of {@code inner} values summed in float vectors and
 * the runs summed in double. {@code gamma}/{@code beta} (and their gradients) are null for a non-affine
 * normalization.
 */
public final class NormKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private NormKernels() {
    }

    /** {@code sum x[off ..off+len)}. */
    static double sum(float[] x, int off, int len) {
        int i = 0;
        double s = 0;
        if (len >= L && !Engine.vectorsNow()) {
            float[] lanes = Workspace.get(Workspace.LANES, L);
            System.arraycopy(x, off, lanes, 0, L);
            for (i = L; i <= len - L; i += L) {
                for (int l = 0; l < L; l++) {
                    lanes[l] = lanes[l] + x[off + i + l];
                }
            }
            s = VMath.sumScalar(lanes, 0);
        } else if (len >= L) {
            FloatVector acc = FloatVector.fromArray(S, x, off);
            for (i = L; i <= len - L; i += L) {
                acc = acc.add(FloatVector.fromArray(S, x, off + i));
            }
            s = VMath.sum(acc);
        }
        for (; i < len; i++) {
            s += x[off + i];
        }
        // float lanes overflow past 1.8e19 squared (a diverging run): then sum in double, as the layers once did
        return Double.isFinite(s) ? s : sumExact(x, off, len);
    }

    /** {@code sum (x - mean)^2} over {@code x[off ..off+len)}. */
    static double squaredDeviations(float[] x, int off, int len, float mean) {
        int i = 0;
        double s = 0;
        if (len >= L && !Engine.vectorsNow()) {
            float[] lanes = Workspace.get(Workspace.LANES, L);
            java.util.Arrays.fill(lanes, 0, L, 0f);
            for (; i <= len - L; i += L) {
                for (int l = 0; l < L; l++) {
                    float d = x[off + i + l] - mean;
                    lanes[l] = Math.fma(d, d, lanes[l]);
                }
            }
            s = VMath.sumScalar(lanes, 0);
        } else if (len >= L) {
            FloatVector acc = FloatVector.zero(S);
            for (; i <= len - L; i += L) {
                FloatVector d = FloatVector.fromArray(S, x, off + i).sub(mean);
                acc = d.fma(d, acc);
            }
            s = VMath.sum(acc);
        }
        for (; i < len; i++) {
            double d = x[off + i] - mean;
            s += d * d;
        }
        // float lanes overflow past 1.8e19 squared (a diverging run): then sum in double, as the layers once did
        return Double.isFinite(s) ? s : squaredDeviationsExact(x, off, len, mean);
    }

    private static double sumExact(float[] x, int off, int len) {
        double s = 0;
        for (int i = 0; i < len; i++) {
            s += x[off + i];
        }
        return s;
    }

    private static double squaredDeviationsExact(float[] x, int off, int len, float mean) {
        double s = 0;
        for (int i = 0; i < len; i++) {
            double d = (double) x[off + i] - mean;
            s += d * d;
        }
        return s;
    }

    private static double dotDeviationsExact(float[] gy, float[] x, int off, int len, float mean) {
        double s = 0;
        for (int i = 0; i < len; i++) {
            s += (double) gy[off + i] * ((double) x[off + i] - mean);
        }
        return s;
    }

    /** {@code y = x * a + b} over a run. */
    static void affine(float[] x, float[] y, int xOff, int yOff, int len, float a, float b) {
        int i = 0;
        FloatVector va = FloatVector.broadcast(S, a);
        FloatVector vb = FloatVector.broadcast(S, b);
        for (boolean vec = Engine.vectorsNow(); vec && i <= len - L; i += L) {
            FloatVector.fromArray(S, x, xOff + i).fma(va, vb).intoArray(y, yOff + i);
        }
        for (; i < len; i++) {
            y[yOff + i] = Math.fma(x[xOff + i], a, b);
        }
    }

    /** {@code sum gy * (x - mean)} over a run. */
    static double dotDeviations(float[] gy, float[] x, int off, int len, float mean) {
        int i = 0;
        double s = 0;
        if (len >= L && !Engine.vectorsNow()) {
            float[] lanes = Workspace.get(Workspace.LANES, L);
            java.util.Arrays.fill(lanes, 0, L, 0f);
            for (; i <= len - L; i += L) {
                for (int l = 0; l < L; l++) {
                    lanes[l] = Math.fma(x[off + i + l] - mean, gy[off + i + l], lanes[l]);
                }
            }
            s = VMath.sumScalar(lanes, 0);
        } else if (len >= L) {
            FloatVector acc = FloatVector.zero(S);
            for (; i <= len - L; i += L) {
                FloatVector d = FloatVector.fromArray(S, x, off + i).sub(mean);
                acc = d.fma(FloatVector.fromArray(S, gy, off + i), acc);
            }
            s = VMath.sum(acc);
        }
        for (; i < len; i++) {
            s += (double) gy[off + i] * (x[off + i] - mean);
        }
        // float lanes overflow past 1.8e19 squared (a diverging run): then sum in double, as the layers once did
        return Double.isFinite(s) ? s : dotDeviationsExact(gy, x, off, len, mean);
    }

    /** {@code gx = a*gy + b*x + c} over a run. */
    static void combine(float[] gy, float[] x, float[] gx, int off, int len, float a, float b, float c) {
        int i = 0;
        FloatVector va = FloatVector.broadcast(S, a);
        FloatVector vb = FloatVector.broadcast(S, b);
        FloatVector vc = FloatVector.broadcast(S, c);
        for (boolean vec = Engine.vectorsNow(); vec && i <= len - L; i += L) {
            FloatVector t = FloatVector.fromArray(S, x, off + i).fma(vb, vc);
            FloatVector.fromArray(S, gy, off + i).fma(va, t).intoArray(gx, off + i);
        }
        for (; i < len; i++) {
            gx[off + i] = Math.fma(gy[off + i], a, Math.fma(x[off + i], b, c));
        }
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
        Engine.current().parallelFor(channels, (chunk, from, to) -> {
            for (int ch = from; ch < to; ch++) {
                double sum = 0;
                for (int s = 0; s < n; s++) {
                    sum += sum(x, (s * channels + ch) * inner, inner);
                }
                double mean = sum / m;
                double sq = 0;
                for (int s = 0; s < n; s++) {
                    sq += squaredDeviations(x, (s * channels + ch) * inner, inner, (float) mean);
                }
                // the deviations were taken from the float32 mean: correct for its rounding
                double shift = (float) mean - mean;
                double var = Math.max(0, sq / m - shift * shift);
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
        Engine.current().parallelFor(channels, (chunk, from, to) -> {
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
            affine(x, y, off, off, inner, (float) scale, (float) shift);
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
        Engine.current().parallelFor(channels, (chunk, from, to) -> {
            for (int ch = from; ch < to; ch++) {
                double mean = saveMean[ch];
                double invStd = saveInvStd[ch];
                double sumGy = 0;
                double sumGyDev = 0;
                float meanF = (float) mean;
                for (int s = 0; s < n; s++) {
                    int off = (s * channels + ch) * inner;
                    sumGy += sum(gy, off, inner);
                    sumGyDev += dotDeviations(gy, x, off, inner, meanF);
                }
                // deviations from the float32 mean: sum gy*(x - mean) = sumGyDev + (meanF - mean) * sumGy
                double sumGyXhat = (sumGyDev + (meanF - mean) * sumGy) * invStd;
                if (gGamma != null) {
                    gGamma[ch] += (float) sumGyXhat;
                    gBeta[ch] += (float) sumGy;
                }
                double k = (gamma == null ? 1.0 : gamma[ch]) * invStd;
                double meanGy = sumGy / m;
                double meanGyXhat = sumGyXhat / m;
                // gx = k*(gy - meanGy - (x - mean)*invStd*meanGyXhat) = a*gy + b*x + c
                double b = -k * invStd * meanGyXhat;
                double c = -k * meanGy - b * mean;
                for (int s = 0; s < n; s++) {
                    combine(gy, x, gx, (s * channels + ch) * inner, inner, (float) k, (float) b, (float) c);
                }
            }
        });
    }
    /**
     * Backward of the evaluation forward, where the running statistics are constants:
     * {@code gx = gy * gamma / sqrt(runningVar + eps)}; adds {@code sum(gy * xhat)} to {@code gGamma} and
     * {@code sum(gy)} to {@code gBeta} when they are not null (a frozen layer passes null). Overwrites {@code gx}.
     */
    public static void batchNormEvalBackward(float[] x, float[] gy, float[] gx, float[] gamma, float[] gGamma,
                                             float[] gBeta, float[] runningMean, float[] runningVar, int n,
                                             int channels, int inner, float eps) {
        Engine.current().parallelFor(channels, (chunk, from, to) -> {
            for (int ch = from; ch < to; ch++) {
                double invStd = 1.0 / Math.sqrt((double) runningVar[ch] + eps);
                if (gGamma != null) {
                    double sumGy = 0;
                    double sumGyDev = 0;
                    for (int i = 0; i < n; i++) {
                        int off = (i * channels + ch) * inner;
                        sumGy += sum(gy, off, inner);
                        sumGyDev += dotDeviations(gy, x, off, inner, runningMean[ch]);
                    }
                    gGamma[ch] += (float) (sumGyDev * invStd);
                    gBeta[ch] += (float) sumGy;
                }
                double k = (gamma == null ? 1.0 : gamma[ch]) * invStd;
                for (int i = 0; i < n; i++) {
                    combine(gy, x, gx, (i * channels + ch) * inner, inner, (float) k, 0f, 0f);
                }
            }
        });
    }

    /*
     * Batch norm over data split across replicas (a data-parallel run): each replica computes its partial sums,
     * the caller adds them up over the replicas, and the same formulas as the fused kernels above finish the job.
     */

    /** Adds to {@code sums[ch]} the sum of channel {@code ch} over this replica's {@code (n, channels, inner)} data. */
    public static void channelSums(float[] x, double[] sums, int n, int channels, int inner) {
        Engine.current().parallelFor(channels, (chunk, from, to) -> {
            for (int ch = from; ch < to; ch++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += sum(x, (i * channels + ch) * inner, inner);
                }
                sums[ch] += s;
            }
        });
    }

    /** Adds to {@code sq[ch]} the sum of {@code (x - (float) mean[ch])^2} over this replica's channel values. */
    public static void channelSquaredDeviations(float[] x, double[] mean, double[] sq, int n, int channels,
                                                int inner) {
        Engine.current().parallelFor(channels, (chunk, from, to) -> {
            for (int ch = from; ch < to; ch++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += squaredDeviations(x, (i * channels + ch) * inner, inner, (float) mean[ch]);
                }
                sq[ch] += s;
            }
        });
    }

    /**
     * Training forward with statistics summed over all replicas: {@code mean[ch]} and {@code sq[ch]} (squared
     * deviations from the float32 mean) over {@code m} values in all; otherwise as {@link #batchNormTrain}.
     */
    public static void batchNormTrainWith(float[] x, float[] y, float[] gamma, float[] beta, float[] runningMean,
                                          float[] runningVar, float[] saveMean, float[] saveInvStd, double[] mean,
                                          double[] sq, long m, int n, int channels, int inner, float eps,
                                          float momentum) {
        Engine.current().parallelFor(channels, (chunk, from, to) -> {
            for (int ch = from; ch < to; ch++) {
                double mu = mean[ch];
                double shift = (float) mu - mu;
                double var = Math.max(0, sq[ch] / m - shift * shift);
                double invStd = 1.0 / Math.sqrt(var + eps);
                saveMean[ch] = (float) mu;
                saveInvStd[ch] = (float) invStd;
                normalize(x, y, gamma, beta, ch, mu, invStd, n, channels, inner);
                runningMean[ch] = (float) ((1.0 - momentum) * runningMean[ch] + momentum * mu);
                runningVar[ch] = (float) ((1.0 - momentum) * runningVar[ch] + momentum * var * m / (m - 1));
            }
        });
    }

    /**
     * This replica's share of the backward sums: {@code sums[ch]} gets {@code sum(gy)} and
     * {@code sums[channels + ch]} gets {@code sum(gy * (x - saveMean))}.
     */
    public static void batchNormGradSums(float[] x, float[] gy, float[] saveMean, double[] sums, int n, int channels,
                                         int inner) {
        Engine.current().parallelFor(channels, (chunk, from, to) -> {
            for (int ch = from; ch < to; ch++) {
                double sumGy = 0;
                double sumGyDev = 0;
                for (int i = 0; i < n; i++) {
                    int off = (i * channels + ch) * inner;
                    sumGy += sum(gy, off, inner);
                    sumGyDev += dotDeviations(gy, x, off, inner, saveMean[ch]);
                }
                sums[ch] += sumGy;
                sums[channels + ch] += sumGyDev;
            }
        });
    }

    /**
     * Training backward with the sums of {@link #batchNormGradSums} added up over all replicas ({@code total}, over
     * {@code m} values in all) for the input gradient, and this replica's own ({@code local}) for the parameter
     * gradients, which the run adds up over the replicas with every other gradient.
     */
    public static void batchNormBackwardWith(float[] x, float[] gy, float[] gx, float[] gamma, float[] gGamma,
                                             float[] gBeta, float[] saveMean, float[] saveInvStd, double[] local,
                                             double[] total, long m, int n, int channels, int inner) {
        Engine.current().parallelFor(channels, (chunk, from, to) -> {
            for (int ch = from; ch < to; ch++) {
                double mean = saveMean[ch];
                double invStd = saveInvStd[ch];
                if (gGamma != null) {
                    gGamma[ch] += (float) (local[channels + ch] * invStd);
                    gBeta[ch] += (float) local[ch];
                }
                double k = (gamma == null ? 1.0 : gamma[ch]) * invStd;
                double meanGy = total[ch] / m;
                double meanGyXhat = total[channels + ch] * invStd / m;
                double b = -k * invStd * meanGyXhat;
                double c = -k * meanGy - b * mean;
                for (int i = 0; i < n; i++) {
                    combine(gy, x, gx, (i * channels + ch) * inner, inner, (float) k, (float) b, (float) c);
                }
            }
        });
    }
}
