package org.retina.nn;

import java.util.Map;
import org.retina.kernel.Activations;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * Log-softmax, {@code y = x - max - log(sum(exp(x - max)))}, more accurate than the log of a softmax.
 * Over dim 1 of the batch tensor, the channel or feature axis: per pixel for a {@code (C, H, W)} sample.
 */
public final class LogSoftmax implements Layer {
    private final Reusable out = new Reusable();
    private final Reusable grad = new Reusable();
    private Shape in;
    private Tensor output;

    public static LogSoftmax of() {
        return new LogSoftmax();
    }

    @Override
    public Shape build(Shape in) {
        if (in.rank() < 1) {
            throw new ShapeException(type(), "input " + in + " has no channel axis, expected rank >= 1");
        }
        this.in = in;
        return in;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Tensor y = out.forward(x.shape(), mode);
        Activations.logSoftmax(x.data(), y.data(), x.dim(0), in.dim(0), in.dropFirst().size());
        if (mode == Mode.TRAIN) {
            output = y;
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        Tensor gradIn = grad.get(gradOut.shape());
        Activations.logSoftmaxBackward(output.data(), gradOut.data(), gradIn.data(), gradOut.dim(0), in.dim(0),
                in.dropFirst().size());
        output = null;
        return gradIn;
    }

    @Override
    public String type() {
        return "LogSoftmax";
    }

    @Override
    public Map<String, Object> config() {
        return Configs.map();
    }

    /** The inverse of {@link #config()}. */
    public static LogSoftmax fromConfig(Map<String, Object> map) {
        return new LogSoftmax();
    }

    @Override
    public String toString() {
        return "LogSoftmax()";
    }
}
