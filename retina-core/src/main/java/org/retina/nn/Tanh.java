package org.retina.nn;

import java.util.Map;
import org.retina.kernel.Activations;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/** Hyperbolic tangent, {@code y = tanh(x)}, elementwise on any shape. */
public final class Tanh implements Layer {
    private final Reusable out = new Reusable();
    private final Reusable grad = new Reusable();
    private Tensor output;

    public static Tanh of() {
        return new Tanh();
    }

    @Override
    public Shape build(Shape in) {
        return in;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Tensor y = out.forward(x.shape(), mode);
        Activations.tanh(x.data(), y.data(), x.size());
        if (mode == Mode.TRAIN) {
            output = y;
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        Tensor gradIn = grad.get(gradOut.shape());
        Activations.tanhBackward(output.data(), gradOut.data(), gradIn.data(), gradOut.size());
        output = null;
        return gradIn;
    }

    @Override
    public String type() {
        return "Tanh";
    }

    @Override
    public Map<String, Object> config() {
        return Configs.map();
    }

    /** The inverse of {@link #config()}. */
    public static Tanh fromConfig(Map<String, Object> map) {
        return new Tanh();
    }

    @Override
    public String toString() {
        return "Tanh()";
    }
}
