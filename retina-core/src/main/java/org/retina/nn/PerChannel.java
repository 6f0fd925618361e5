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
abstract class PerChannel<R extends Record> implements Layer {
    private final String name;
    private final boolean perChannel;
    private final double init;
    private final SettingsCodec<R> codec;
    private final R settings;
    private Parameter parameter;

    /**
     * {@code name}: the parameter's, {@code weight} or {@code bias}; {@code init}: its initial value; {@code settings}
     * and their {@code codec}: the subclass's, whose {@code perChannel} component this layer's printed form shows.
     */
    PerChannel(String name, boolean perChannel, double init, SettingsCodec<R> codec, R settings) {
        this.name = name;
        this.perChannel = perChannel;
        this.init = init;
        this.codec = codec;
        this.settings = settings;
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

    /** The settings this layer was made with. */
    public R settings() {
        return settings;
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
        return codec.write(settings);
    }

    @Override
    public String toString() {
        return codec.describe(settings, "perChannel", perChannel && parameter != null ? parameter.size() : null);
    }
}
