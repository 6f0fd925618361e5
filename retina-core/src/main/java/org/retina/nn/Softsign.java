package org.retina.nn;

import java.util.Map;
import org.retina.kernel.PointwiseKernels;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/** Softsign, {@code y = x / (1 + |x|)}, elementwise on any shape. */
public final class Softsign implements Layer {
    private Tensor input;

    public static Softsign of() {
        return new Softsign();
    }

    @Override
    public Shape build(Shape in) {
        return in;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Tensor y = Tensor.zeros(x.shape());
        PointwiseKernels.softsign(x.data(), y.data(), x.size());
        if (mode == Mode.TRAIN) {
            input = x;
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        Tensor gradIn = Tensor.zeros(gradOut.shape());
        PointwiseKernels.softsignBackward(input.data(), gradOut.data(), gradIn.data(), gradOut.size());
        input = null;
        return gradIn;
    }

    @Override
    public String type() {
        return "Softsign";
    }

    @Override
    public Map<String, Object> config() {
        return Configs.map();
    }

    /** The inverse of {@link #config()}: there are no settings. */
    public static Softsign fromConfig(Map<String, Object> map) {
        return new Softsign();
    }

    @Override
    public String toString() {
        return "Softsign()";
    }
}
