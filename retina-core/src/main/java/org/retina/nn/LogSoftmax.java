package org.retina.nn;

import java.util.Map;
import org.retina.kernel.Activations;

/**
 * Log-softmax, {@code y = x - max - log(sum(exp(x - max)))}, more accurate than the log of a softmax.
 * Over one dim of the batch tensor, by default dim 1, the channel or feature axis: per pixel for a
 * {@code (C, H, W)} sample; a negative dim counts from the end, as in PyTorch.
 */
public final class LogSoftmax extends SoftmaxBase {

    private LogSoftmax(int dim) {
        super(dim);
    }

    /** Over dim 1, the channels. */
    public static LogSoftmax of() {
        return new LogSoftmax(1);
    }

    /** Over {@code dim} of the batch tensor (not 0, the batch; negative counts from the end). */
    public static LogSoftmax of(int dim) {
        return new LogSoftmax(checkDim("LogSoftmax", dim));
    }

    @Override
    void apply(float[] x, float[] y, int outer, int channels, int inner) {
        Activations.logSoftmax(x, y, outer, channels, inner);
    }

    @Override
    void applyBackward(float[] y, float[] gradOut, float[] gradIn, int outer, int channels, int inner) {
        Activations.logSoftmaxBackward(y, gradOut, gradIn, outer, channels, inner);
    }

    @Override
    public String type() {
        return "LogSoftmax";
    }

    /** The inverse of {@link #config()}. */
    public static LogSoftmax fromConfig(Map<String, Object> map) {
        return of(Configs.read("LogSoftmax", map).integer("dim", 1));
    }
}
