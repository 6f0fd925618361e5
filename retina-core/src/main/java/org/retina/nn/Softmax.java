package org.retina.nn;

import java.util.Map;
import org.retina.kernel.Activations;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * Softmax, {@code y = exp(x - max) / sum(exp(x - max))}: the max is subtracted so exp cannot overflow.
 * Over dim 1 of the batch tensor, the channel or feature axis: per pixel for a {@code (C, H, W)} sample.
 */
public final class Softmax implements Layer {
    private final Reusable out = new Reusable();
    private final Reusable grad = new Reusable();
    private Shape in;
    private Tensor output;

    public static Softmax of() {
        return new Softmax();
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
        Activations.softmax(x.data(), y.data(), x.dim(0), in.dim(0), in.dropFirst().size());
        if (mode == Mode.TRAIN) {
            output = y;
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        Tensor gradIn = grad.get(gradOut.shape());
        Activations.softmaxBackward(output.data(), gradOut.data(), gradIn.data(), gradOut.dim(0), in.dim(0),
                in.dropFirst().size());
        output = null;
        return gradIn;
    }

    @Override
    public String type() {
        return "Softmax";
    }

    @Override
    public Map<String, Object> config() {
        return Configs.map();
    }

    /** The inverse of {@link #config()}. */
    public static Softmax fromConfig(Map<String, Object> map) {
        return new Softmax();
    }

    @Override
    public String toString() {
        return "Softmax()";
    }
}
