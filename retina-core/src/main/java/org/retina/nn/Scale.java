package org.retina.nn;

import java.util.List;
import java.util.Map;
import org.retina.kernel.PointwiseKernels;
import org.retina.tensor.Parameter;
import org.retina.tensor.Rng;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * Multiplication by a learned factor, {@code y = x * weight[c]}: one per channel (the first per-sample axis) or
 * one for all; weight {@code [channels]} or {@code [1]}, initialized to 1. ONNX's Mul by a constant.
 */
public final class Scale implements Layer {

    /** One factor per channel, or one shared. */
    public record Config(boolean perChannel) {
    }

    private final Config config;
    private Parameter weight;
    private Tensor input;

    public Scale(Config config) {
        this.config = config;
    }

    /** One factor for all values. */
    public static Scale of() {
        return new Scale(new Config(false));
    }

    /** One factor per channel. */
    public static Scale perChannel() {
        return new Scale(new Config(true));
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
        weight.value().fill(1f);
    }

    static int channels(Tensor x) {
        return x.rank() > 1 ? x.dim(1) : 1;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Tensor y = Tensor.zeros(x.shape());
        int c = channels(x);
        PointwiseKernels.affine(x.data(), weight.value().data(), null, y.data(), x.dim(0), c, x.sampleSize() / c);
        if (mode == Mode.TRAIN) {
            input = x;
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        Tensor gradIn = Tensor.zeros(gradOut.shape());
        int c = channels(input);
        PointwiseKernels.affineBackward(input.data(), weight.value().data(), gradOut.data(), gradIn.data(),
                weight.grad().data(), null, input.dim(0), c, input.sampleSize() / c);
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
        return "Scale";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> m = Configs.map();
        m.put("perChannel", config.perChannel);
        return m;
    }

    /** The inverse of {@link #config()}. */
    public static Scale fromConfig(Map<String, Object> map) {
        return new Scale(new Config(Configs.read("Scale", map).bool("perChannel", false)));
    }

    @Override
    public String toString() {
        return config.perChannel ? "Scale(perChannel" + (weight != null ? "=" + weight.size() : "") + ")" : "Scale()";
    }
}
