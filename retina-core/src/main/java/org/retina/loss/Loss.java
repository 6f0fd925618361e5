package org.retina.loss;

import org.retina.tensor.Tensor;

/**
 * A training objective over a batch of model outputs, mean-reduced. {@code forward} returns the loss and
 * remembers what {@link #backward()} needs to return the gradient of that loss with respect to the outputs. A
 * loss travels to the workers of a distributed run as a fresh {@link #copy()}, which remembers nothing yet.
 */
public interface Loss extends java.io.Serializable {

    /** The loss of {@code output} {@code (N, C)} against integer class labels. */
    double forward(Tensor output, int[] labels);

    /** The loss of {@code output} against a target tensor of the same shape (one-hot, soft labels, values). */
    double forward(Tensor output, Tensor target);

    /** The gradient of the last forward's loss with respect to its output. */
    Tensor backward();

    /** The name used in configs and logs: {@code cross-entropy}. */
    String name();

    /**
     * A new loss with the same settings and nothing remembered: each replica of a data-parallel run, each thread,
     * needs its own, since {@code forward} keeps what {@code backward} needs.
     */
    Loss copy();

    /** The loss a name of {@link #name()} stands for, with its default settings. */
    static Loss named(String name) {
        return switch (name) {
            case "cross-entropy" -> new SoftmaxCrossEntropy();
            case "mse" -> new MeanSquaredError();
            default -> throw new IllegalArgumentException("loss '" + name + "' is unknown; expected cross-entropy"
                    + " or mse");
        };
    }
}
