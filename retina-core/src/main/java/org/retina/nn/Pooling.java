package org.retina.nn;

import java.util.Map;
import org.retina.kernel.ConvGeometry;
import org.retina.tensor.Shape;

/**
 * What the window poolings ({@link MaxPool2d}, {@link AvgPool2d}, {@link LpPool2d}, {@link GaussianPool2d}) share:
 * their settings and codec, the window resolved at build, and the config, printed form and window wither that
 * follow from them. Each adds its own kernels and settings.
 *
 * @param <L> the pooling's own type, which the withers return
 * @param <R> its settings record
 */
abstract class Pooling<L extends Pooling<L, R>, R extends Record & Windowed.Settings> implements Windowed<L> {
    private final SettingsCodec<R> codec;
    /** The settings this layer was made with. */
    final R config;
    /** The window over the built input; null before build. */
    ConvGeometry geometry;

    Pooling(SettingsCodec<R> codec, R config) {
        this.codec = codec;
        this.config = config;
    }

    /** A pooling of this kind with {@code settings}. */
    abstract L make(R settings);

    /** This pooling with the setting {@code name} at {@code value}, the others kept: what its withers call. */
    L with(String name, Object value) {
        return make(codec.with(config, name, value));
    }

    /** The settings this layer was made with. */
    @Override
    public R settings() {
        return config;
    }

    @Override
    public L withWindow(Window.Spec w) {
        return with("window", w);
    }

    @Override
    public Shape build(Shape in) {
        geometry = PoolWindow.resolve(type(), in, config.window());
        return Shape.of(geometry.outC(), geometry.outH(), geometry.outW());
    }

    @Override
    public ConvGeometry geometry() {
        return geometry;
    }

    @Override
    public Map<String, Object> config() {
        return codec.write(config);
    }

    @Override
    public String toString() {
        return codec.describe(config);
    }
}
