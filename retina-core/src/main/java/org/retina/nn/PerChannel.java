package org.retina.nn;

import java.util.List;
import java.util.Map;
import org.retina.tensor.Parameter;
import org.retina.tensor.Rng;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * What {@link Scale}, {@link Shift} and {@link PReLU} share: one learned value per channel (the first per-sample
 * axis) or one for all, a parameter {@code [channels]} or {@code [1]} that starts at the same value everywhere.
 */
abstract class PerChannel implements Layer {
    private final String name;
    private final boolean perChannel;
    private final double init;
    private Parameter parameter;

    /** {@code name}: the parameter's, {@code weight} or {@code bias}; {@code init}: its initial value. */
    PerChannel(String name, boolean perChannel, double init) {
        this.name = name;
        this.perChannel = perChannel;
        this.init = init;
    }

    @Override
    public Shape build(Shape in) {
        if (perChannel && in.rank() < 1) {
            throw new ShapeException(type(), "input " + in + " has no channel axis, expected rank >= 1");
        }
        parameter = Parameter.learnable(name, Shape.of(perChannel ? in.dim(0) : 1));
        return in;
    }

    @Override
    public void initialize(Rng rng) {
        parameter.value().fill((float) init);
    }

    /** The channels of a batch tensor, dim 1; a batch of scalars has one. */
    static int channels(Tensor x) {
        return x.rank() > 1 ? x.dim(1) : 1;
    }

    /** The learned values; null before build. */
    Parameter parameter() {
        return parameter;
    }

    @Override
    public List<Parameter> parameters() {
        return parameter == null ? List.of() : List.of(parameter);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> m = Configs.map();
        m.put("perChannel", perChannel);
        return m;
    }

    @Override
    public String toString() {
        return type() + "(" + perChannelText() + ")";
    }

    /** {@code perChannel=16} once built, {@code perChannel} before; empty for one shared value. */
    String perChannelText() {
        return !perChannel ? "" : parameter != null ? "perChannel=" + parameter.size() : "perChannel";
    }
}
