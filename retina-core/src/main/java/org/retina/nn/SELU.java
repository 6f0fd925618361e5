package org.retina.nn;

import java.util.Map;
import org.retina.kernel.PointwiseKernels;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/** Scaled ELU, {@code y = SCALE * (x > 0 ? x : ALPHA * (exp(x) - 1))} with the self-normalizing constants. */
public final class SELU implements Layer {
    /** PyTorch's (and the SELU paper's) alpha. */
    public static final double ALPHA = 1.6732632423543772848170429916717;
    /** PyTorch's (and the SELU paper's) scale, ONNX's gamma. */
    public static final double SCALE = 1.0507009873554804934193349852946;

    private Tensor input;

    public static SELU of() {
        return new SELU();
    }

    @Override
    public Shape build(Shape in) {
        return in;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Tensor y = Tensor.zeros(x.shape());
        PointwiseKernels.elu(x.data(), y.data(), x.size(), (float) ALPHA, (float) SCALE);
        if (mode == Mode.TRAIN) {
            input = x;
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        Tensor gradIn = Tensor.zeros(gradOut.shape());
        PointwiseKernels.eluBackward(input.data(), gradOut.data(), gradIn.data(), gradOut.size(), (float) ALPHA,
                (float) SCALE);
        input = null;
        return gradIn;
    }

    @Override
    public String type() {
        return "SELU";
    }

    @Override
    public Map<String, Object> config() {
        return Configs.map();
    }

    /** The inverse of {@link #config()}: there are no settings. */
    public static SELU fromConfig(Map<String, Object> map) {
        return new SELU();
    }

    @Override
    public String toString() {
        return "SELU()";
    }
}
