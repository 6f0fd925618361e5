package org.retina.loss;

import org.retina.kernel.LossKernels;
import org.retina.tensor.Tensor;

/**
 * Softmax cross-entropy from logits {@code (N, C)}, mean over the batch, with optional label smoothing
 * (PyTorch's {@code cross_entropy}: the target becomes {@code (1 - s) * onehot + s / C}).
 */
public final class SoftmaxCrossEntropy implements Loss {
    private final double labelSmoothing;
    private transient Tensor grad;
    /** The gradient tensor of the last batch, refilled while the batch shape repeats. */
    private transient Tensor kept;

    /** Cross-entropy without label smoothing. */
    public SoftmaxCrossEntropy() {
        this(0.0);
    }

    /** Cross-entropy with label smoothing {@code s}, {@code 0 <= s < 1}. */
    public SoftmaxCrossEntropy(double labelSmoothing) {
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
            throw new IllegalArgumentException("SoftmaxCrossEntropy: labelSmoothing " + labelSmoothing
                    + ", expected 0 <= s < 1");
        }
        this.labelSmoothing = labelSmoothing;
    }

    private static int[] rows(Tensor output) {
        if (output.rank() < 2) {
            throw new IllegalArgumentException("SoftmaxCrossEntropy: output " + output.shape()
                    + ", expected (N, classes)");
        }
        int n = output.dim(0);
        return new int[] {n, output.size() / Math.max(n, 1)};
    }

    @Override
    public double forward(Tensor output, int[] labels) {
        int[] nc = rows(output);
        if (labels.length != nc[0]) {
            throw new IllegalArgumentException("SoftmaxCrossEntropy: " + labels.length + " labels for a batch of "
                    + nc[0]);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= nc[1]) {
                throw new IllegalArgumentException("SoftmaxCrossEntropy: label " + labels[i] + " at " + i
                        + " is outside 0.." + (nc[1] - 1) + " (the model has " + nc[1] + " outputs)");
            }
        }
        grad = gradient(output);
        return LossKernels.softmaxCrossEntropy(output.data(), labels, nc[0], nc[1], labelSmoothing, grad.data());
    }

    @Override
    public double forward(Tensor output, Tensor target) {
        int[] nc = rows(output);
        if (!target.shape().equals(output.shape())) {
            throw new IllegalArgumentException("SoftmaxCrossEntropy: target " + target.shape() + ", expected "
                    + output.shape() + " like the output");
        }
        grad = gradient(output);
        return LossKernels.softmaxCrossEntropy(output.data(), target.data(), nc[0], nc[1], labelSmoothing,
                grad.data());
    }

    private Tensor gradient(Tensor output) {
        if (kept == null || !kept.shape().equals(output.shape())) {
            kept = Tensor.zeros(output.shape());
        }
        return kept;
    }

    @Override
    public Tensor backward() {
        if (grad == null) {
            throw new IllegalStateException("SoftmaxCrossEntropy: backward before forward");
        }
        Tensor g = grad;
        grad = null;
        return g;
    }

    /** The label smoothing {@code s}; 0 is plain cross-entropy. */
    public double labelSmoothing() {
        return labelSmoothing;
    }

    @Override
    public Loss copy() {
        return new SoftmaxCrossEntropy(labelSmoothing);
    }

    @Override
    public String name() {
        return "cross-entropy";
    }

    @Override
    public String toString() {
        return labelSmoothing == 0 ? "SoftmaxCrossEntropy()" : "SoftmaxCrossEntropy(labelSmoothing=" + labelSmoothing
                + ")";
    }
}
