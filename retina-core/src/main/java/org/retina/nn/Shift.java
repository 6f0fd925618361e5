package org.retina.nn;

import java.util.List;
import java.util.Map;
import org.retina.kernel.PointwiseKernels;
import org.retina.tensor.Parameter;
import org.retina.tensor.Rng;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * Addition of a learned offset, {@code y = x + bias[c]}: one per channel (the first per-sample axis) or
 * one for all; bias {@code [channels]} or {@code [1]}, initialized to 0. ONNX's Add of a constant.
 */
public final class Shift implements Layer {

    /** One offset per channel, or one shared. */
    public record Config(boolean perChannel) {
    }

    private final Config config;
    private Parameter bias;

    public Shift(Config config) {
        this.config = config;
    }

    /** One offset for all values. */
    public static Shift of() {
        return new Shift(new Config(false));
    }

    /** One offset per channel. */
    public static Shift perChannel() {
        return new Shift(new Config(true));
    }

    public Config settings() {
        return config;
    }

    @Override
    public Shape build(Shape in) {
        if (config.perChannel && in.rank() < 1) {
            throw new ShapeException(type(), "input " + in + " has no channel axis, expected rank >= 1");
        }
        bias = Parameter.learnable("bias", Shape.of(config.perChannel ? in.dim(0) : 1));
        return in;
    }

    @Override
    public void initialize(Rng rng) {
        bias.value().fill(0f);
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Tensor y = Tensor.zeros(x.shape());
        int c = Scale.channels(x);
        PointwiseKernels.affine(x.data(), null, bias.value().data(), y.data(), x.dim(0), c, x.sampleSize() / c);
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        Tensor gradIn = Tensor.zeros(gradOut.shape());
        int c = Scale.channels(gradOut);
        PointwiseKernels.affineBackward(null, null, gradOut.data(), gradIn.data(), null, bias.grad().data(),
                gradOut.dim(0), c, gradOut.sampleSize() / c);
        return gradIn;
    }

    @Override
    public List<Parameter> parameters() {
        return bias == null ? List.of() : List.of(bias);
    }

    public Parameter bias() {
        return bias;
    }

    @Override
    public String type() {
        return "Shift";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> m = Configs.map();
        m.put("perChannel", config.perChannel);
        return m;
    }

    /** The inverse of {@link #config()}. */
    public static Shift fromConfig(Map<String, Object> map) {
        return new Shift(new Config(Configs.read("Shift", map).bool("perChannel", false)));
    }

    @Override
    public String toString() {
        return config.perChannel ? "Shift(perChannel" + (bias != null ? "=" + bias.size() : "") + ")" : "Shift()";
    }
}
