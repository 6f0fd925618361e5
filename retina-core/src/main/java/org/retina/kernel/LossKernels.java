package org.retina.kernel;

/**
 * Loss arithmetic on rows of logits {@code [n, c]}: softmax cross-entropy against integer labels or target
 * distributions (numerically stable, in double), and squared error. Each returns the mean loss and writes
 * the gradient of that mean into {@code grad}.
 */
public final class LossKernels {
    private LossKernels() {
    }

    /**
     * Cross-entropy of {@code softmax(logits)} against labels, the target of row i being
     * {@code (1 - smoothing) * onehot(label[i]) + smoothing / c} (PyTorch's label smoothing).
     */
    public static double softmaxCrossEntropy(float[] logits, int[] labels, int n, int c, double smoothing,
                                             float[] grad) {
        double total = 0;
        double off = smoothing / c;
        double[] p = new double[c];
        for (int i = 0; i < n; i++) {
            int row = i * c;
            double logZ = logSumExp(logits, row, c, p);
            double loss = 0;
            for (int j = 0; j < c; j++) {
                double target = off + (j == labels[i] ? 1 - smoothing : 0);
                if (target != 0) {
                    loss -= target * (logits[row + j] - logZ);
                }
                if (grad != null) {
                    grad[row + j] = (float) ((p[j] - target) / n);
                }
            }
            total += loss;
        }
        return total / n;
    }

    /** Cross-entropy of {@code softmax(logits)} against target distributions {@code [n, c]} (one-hot or soft). */
    public static double softmaxCrossEntropy(float[] logits, float[] targets, int n, int c, double smoothing,
                                             float[] grad) {
        double total = 0;
        double[] p = new double[c];
        for (int i = 0; i < n; i++) {
            int row = i * c;
            double logZ = logSumExp(logits, row, c, p);
            double loss = 0;
            for (int j = 0; j < c; j++) {
                double target = (1 - smoothing) * targets[row + j] + smoothing / c;
                if (target != 0) {
                    loss -= target * (logits[row + j] - logZ);
                }
                if (grad != null) {
                    grad[row + j] = (float) ((p[j] - target) / n);
                }
            }
            total += loss;
        }
        return total / n;
    }

    /** Writes {@code softmax} of the row into {@code p} and returns {@code log(sum(exp(row)))}. */
    private static double logSumExp(float[] x, int row, int c, double[] p) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < c; j++) {
            max = Math.max(max, x[row + j]);
        }
        double sum = 0;
        for (int j = 0; j < c; j++) {
            p[j] = Math.exp(x[row + j] - max);
            sum += p[j];
        }
        for (int j = 0; j < c; j++) {
            p[j] /= sum;
        }
        return max + Math.log(sum);
    }

    /** Mean over all elements of {@code (output - target)^2}. */
    public static double meanSquaredError(float[] output, float[] target, int size, float[] grad) {
        double total = 0;
        for (int i = 0; i < size; i++) {
            double d = (double) output[i] - target[i];
            total += d * d;
            if (grad != null) {
                grad[i] = (float) (2 * d / size);
            }
        }
        return total / size;
    }

    /** Index of the largest value of each row; ties go to the first. */
    public static void argmax(float[] x, int n, int c, int[] out) {
        for (int i = 0; i < n; i++) {
            int best = 0;
            float bv = x[i * c];
            for (int j = 1; j < c; j++) {
                if (x[i * c + j] > bv) {
                    bv = x[i * c + j];
                    best = j;
                }
            }
            out[i] = best;
        }
    }
}
