package org.retina.nn;

import java.util.Map;
import org.retina.kernel.Activations;

/**
 * Softmax, {@code y = exp(x - max) / sum(exp(x - max))}: the max is subtracted so exp cannot overflow.
 * Over one dim of the batch tensor, by default dim 1, the channel or feature axis: per pixel for a
 * {@code (C, H, W)} sample; a negative dim counts from the end, as in PyTorch.
 */
public final class Softmax extends SoftmaxBase {

    private Softmax(int dim) {
        super(dim);
    }

    /** Over dim 1, the channels. */
    public static Softmax of() {
        return new Softmax(1);
    }

    /** Over {@code dim} of the batch tensor (not 0, the batch; negative counts from the end). */
    public static Softmax of(int dim) {
        return new Softmax(checkDim("Softmax", dim));
    }

    @Override
    void apply(float[] x, float[] y, int outer, int channels, int inner) {
        Activations.softmax(x, y, outer, channels, inner);
    }

    @Override
    void applyBackward(float[] y, float[] gradOut, float[] gradIn, int outer, int channels, int inner) {
        Activations.softmaxBackward(y, gradOut, gradIn, outer, channels, inner);
    }

    @Override
    public String type() {
        return "Softmax";
    }

    /** The inverse of {@link #config()}. */
    public static Softmax fromConfig(Map<String, Object> map) {
        return of(Configs.read("Softmax", map).integer("dim", 1));
    }
}
