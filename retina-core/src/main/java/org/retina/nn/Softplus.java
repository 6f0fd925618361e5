package org.retina.nn;

import java.util.Map;
import org.retina.kernel.PointwiseKernels;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * Softplus, {@code y = log(1 + exp(beta * x)) / beta}, linear ({@code y = x}) where {@code beta * x > threshold}
 * for numerical stability (PyTorch's defaults: beta 1, threshold 20); elementwise on any shape.
 */
public final class Softplus implements Layer {

    /** The sharpness {@code beta > 0} and the linear threshold. */
    public record Config(double beta, double threshold) {
        public Config {
            PoolWindow.positive("Softplus", "beta", beta);
            if (!Double.isFinite(threshold)) {
                throw new IllegalArgumentException("Softplus: threshold is " + threshold + ", expected a finite number");
            }
        }
    }

    private final Config config;
    private Tensor input;

    public Softplus(Config config) {
        this.config = config;
    }

    /** Beta 1, threshold 20. */
    public static Softplus of() {
        return new Softplus(new Config(1, 20));
    }

    public Softplus withBeta(double beta) {
        return new Softplus(new Config(beta, config.threshold));
    }

    public Softplus withThreshold(double threshold) {
        return new Softplus(new Config(config.beta, threshold));
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
        PointwiseKernels.softplus(x.data(), y.data(), x.size(), (float) config.beta, (float) config.threshold);
        if (mode == Mode.TRAIN) {
            input = x;
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        Tensor gradIn = Tensor.zeros(gradOut.shape());
        PointwiseKernels.softplusBackward(input.data(), gradOut.data(), gradIn.data(), gradOut.size(),
                (float) config.beta, (float) config.threshold);
        input = null;
        return gradIn;
    }

    @Override
    public String type() {
        return "Softplus";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> m = Configs.map();
        m.put("beta", config.beta);
        m.put("threshold", config.threshold);
        return m;
    }

    /** The inverse of {@link #config()}. */
    public static Softplus fromConfig(Map<String, Object> map) {
        Configs r = Configs.read("Softplus", map);
        return new Softplus(new Config(r.number("beta", 1), r.number("threshold", 20)));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Softplus(");
        if (config.beta != 1) {
            sb.append("beta=").append(PoolWindow.number(config.beta));
        }
        if (config.threshold != 20) {
            sb.append(config.beta != 1 ? ", " : "").append("threshold=").append(PoolWindow.number(config.threshold));
        }
        return sb.append(')').toString();
    }
}
