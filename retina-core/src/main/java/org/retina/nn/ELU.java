package org.retina.nn;

import java.util.Map;
import org.retina.kernel.PointwiseKernels;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/** Exponential linear unit, {@code y = x > 0 ? x : alpha * (exp(x) - 1)} (default alpha 1), elementwise on any shape. */
public final class ELU implements Layer {

    /** The saturation value for negative inputs, {@code -alpha}; any finite alpha. */
    public record Config(double alpha) {
        public Config {
            if (!Double.isFinite(alpha)) {
                throw new IllegalArgumentException("ELU: alpha is " + alpha + ", expected a finite number");
            }
        }
    }

    private final Config config;
    private Tensor input;

    public ELU(Config config) {
        this.config = config;
    }

    /** With PyTorch's default alpha, 1. */
    public static ELU of() {
        return of(1.0);
    }

    public static ELU of(double alpha) {
        return new ELU(new Config(alpha));
    }

    public Config settings() {
        return config;
    }

    @Override
    public Shape build(Shape in) {
        return in;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Tensor y = Tensor.zeros(x.shape());
        PointwiseKernels.elu(x.data(), y.data(), x.size(), (float) config.alpha, 1f);
        if (mode == Mode.TRAIN) {
            input = x;
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        Tensor gradIn = Tensor.zeros(gradOut.shape());
        PointwiseKernels.eluBackward(input.data(), gradOut.data(), gradIn.data(), gradOut.size(),
                (float) config.alpha, 1f);
        input = null;
        return gradIn;
    }

    @Override
    public String type() {
        return "ELU";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> m = Configs.map();
        m.put("alpha", config.alpha);
        return m;
    }

    /** The inverse of {@link #config()}. */
    public static ELU fromConfig(Map<String, Object> map) {
        return of(Configs.read("ELU", map).number("alpha", 1.0));
    }

    @Override
    public String toString() {
        return config.alpha == 1.0 ? "ELU()" : "ELU(alpha=" + config.alpha + ")";
    }
}
