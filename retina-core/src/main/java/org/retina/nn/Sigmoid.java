package org.retina.nn;

import java.util.Map;
import org.retina.kernel.Activations;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/** Logistic sigmoid, {@code y = 1 / (1 + exp(-x))}, elementwise on any shape. */
public final class Sigmoid implements Layer {
    private final Reusable out = new Reusable();
    private final Reusable grad = new Reusable();
    private Tensor output;

    public static Sigmoid of() {
        return new Sigmoid();
    }

    @Override
    public Shape build(Shape in) {
        return in;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Tensor y = out.forward(x.shape(), mode);
        Activations.sigmoid(x.data(), y.data(), x.size());
        if (mode == Mode.TRAIN) {
            output = y;
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        Tensor gradIn = grad.get(gradOut.shape());
        Activations.sigmoidBackward(output.data(), gradOut.data(), gradIn.data(), gradOut.size());
        output = null;
        return gradIn;
    }

    @Override
    public String type() {
        return "Sigmoid";
    }

    @Override
    public Map<String, Object> config() {
        return Configs.map();
    }

    /** The inverse of {@link #config()}. */
    public static Sigmoid fromConfig(Map<String, Object> map) {
        return new Sigmoid();
    }

    @Override
    public String toString() {
        return "Sigmoid()";
    }
}
