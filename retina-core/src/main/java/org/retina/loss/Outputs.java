package org.retina.loss;

import org.retina.kernel.Activations;
import org.retina.kernel.LossKernels;
import org.retina.kernel.Reductions;
import org.retina.tensor.Tensor;

/**
 * What training and evaluation read off a model's outputs, beside the loss: the predicted classes, class
 * probabilities, and whether values are finite. The loops that need them ask here, not the kernels.
 */
public final class Outputs {
    private Outputs() {
    }

    /** Writes into {@code predicted} the class of largest score of each row of {@code output} {@code (N, C...)}. */
    public static void argmax(Tensor output, int[] predicted) {
        int n = output.dim(0);
        LossKernels.argmax(output.data(), n, output.size() / n, predicted);
    }

    /** The softmax of each sample's scores in {@code logits} {@code (N, ...)}: class probabilities {@code (N, C)}. */
    public static Tensor softmax(Tensor logits) {
        int n = logits.dim(0);
        Tensor p = Tensor.zeros(n, logits.size() / n);
        Activations.softmax(logits.data(), p.data(), n, p.dim(1), 1);
        return p;
    }

    /** Whether every value of {@code t} is finite (no NaN, no infinity). */
    public static boolean allFinite(Tensor t) {
        return Reductions.allFinite(t.data(), t.size());
    }
}
