package org.retina.nn;

import java.util.Map;
import org.retina.kernel.Activations;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/** Rectified linear unit, {@code y = max(x, 0)}, elementwise on any shape. */
public final class ReLU implements Layer {
    private final Reusable out = new Reusable();
    private final Reusable grad = new Reusable();
    private Tensor output;

    public static ReLU of() {
        return new ReLU();
    }

    @Override
    public Shape build(Shape in) {
        return in;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Tensor y = out.forward(x.shape(), mode);
        Activations.relu(x.data(), y.data(), x.size());
        if (mode == Mode.TRAIN) {
            output = y;
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        Tensor gradIn = grad.get(gradOut.shape());
        Activations.reluBackward(output.data(), gradOut.data(), gradIn.data(), gradOut.size());
        output = null;
        return gradIn;
    }

    @Override
    public String type() {
        return "ReLU";
    }

    @Override
    public Map<String, Object> config() {
        return Configs.map();
    }

    /** The inverse of {@link #config()}. */
    public static ReLU fromConfig(Map<String, Object> map) {
        return new ReLU();
    }

    @Override
    public String toString() {
        return "ReLU()";
    }
}
