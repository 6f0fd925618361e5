package org.retina.nn;

import java.util.List;
import java.util.Map;
import org.retina.kernel.PointwiseKernels;
import org.retina.tensor.Parameter;
import org.retina.tensor.Rng;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * Parametric ReLU, {@code y = x > 0 ? x : weight[c] * x}, with a learned slope per channel (the first per-sample
 * axis) or one for all; weight {@code [channels]} or {@code [1]}, initialized to {@code init} (PyTorch: 0.25).
 */
public final class PReLU implements Layer {

    /** One slope per channel or one shared, and the initial slope. */
    public record Config(boolean perChannel, double init) {
        public Config {
            if (!Double.isFinite(init)) {
                throw new IllegalArgumentException("PReLU: init is " + init + ", expected a finite number");
            }
        }
    }

    private final Config config;
    private Parameter weight;
    private Tensor input;

    public PReLU(Config config) {
        this.config = config;
    }

    /** One slope shared by all channels, starting at 0.25 (PyTorch's {@code nn.PReLU()}). */
    public static PReLU of() {
        return new PReLU(new Config(false, 0.25));
    }

    /** One slope per channel, starting at 0.25 (PyTorch's {@code nn.PReLU(num_parameters=C)}). */
    public static PReLU perChannel() {
        return new PReLU(new Config(true, 0.25));
    }

    public PReLU withInit(double init) {
        return new PReLU(new Config(config.perChannel, init));
    }

    public Config settings() {
        return config;
    }

    @Override
    public Shape build(Shape in) {
        if (config.perChannel && in.rank() < 1) {
            throw new ShapeException(type(), "input " + in + " has no channel axis, expected rank >= 1");
        }
        weight = Parameter.learnable("weight", Shape.of(config.perChannel ? in.dim(0) : 1));
        return in;
    }

    @Override
    public void initialize(Rng rng) {
        weight.value().fill((float) config.init);
    }

    private int channels(Tensor x) {
        return x.rank() > 1 ? x.dim(1) : 1;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Tensor y = Tensor.zeros(x.shape());
        int c = channels(x);
        PointwiseKernels.prelu(x.data(), weight.value().data(), y.data(), x.dim(0), c, x.sampleSize() / c);
        if (mode == Mode.TRAIN) {
            input = x;
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        Tensor gradIn = Tensor.zeros(gradOut.shape());
        int c = channels(input);
        PointwiseKernels.preluBackward(input.data(), weight.value().data(), gradOut.data(), gradIn.data(),
                weight.grad().data(), input.dim(0), c, input.sampleSize() / c);
        input = null;
        return gradIn;
    }

    @Override
    public List<Parameter> parameters() {
        return weight == null ? List.of() : List.of(weight);
    }

    public Parameter weight() {
        return weight;
    }

    @Override
    public String type() {
        return "PReLU";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> m = Configs.map();
        m.put("perChannel", config.perChannel);
        m.put("init", config.init);
        return m;
    }

    /** The inverse of {@link #config()}. */
    public static PReLU fromConfig(Map<String, Object> map) {
        Configs r = Configs.read("PReLU", map);
        return new PReLU(new Config(r.bool("perChannel", false), r.number("init", 0.25)));
    }

    @Override
    public String toString() {
        String n = weight != null && config.perChannel ? Integer.toString(weight.size()) : "";
        return "PReLU(" + (config.perChannel ? "perChannel" + (n.isEmpty() ? "" : "=" + n) : "")
                + (config.init != 0.25 ? (config.perChannel ? ", " : "") + "init=" + config.init : "") + ")";
    }
}
