package org.retina.nn;

import java.util.Map;
import org.retina.kernel.ConvGeometry;
import org.retina.tensor.Shape;

/**
 * What {@link GlobalAvgPool2d} and {@link GlobalMaxPool2d} share: one value per channel,
 * {@code (C, H, W) -> (C, 1, 1)}, no settings; they differ only in the kernels they call.
 */
abstract class GlobalPool implements Layer {
    /** The window over the whole plane; null before build. */
    ConvGeometry geometry;
    /** The input's shape, from the last training forward until backward. */
    Shape inputShape;

    @Override
    public Shape build(Shape in) {
        geometry = PoolWindow.global(type(), in);
        return Shape.of(geometry.outC(), 1, 1);
    }

    @Override
    public Map<String, Object> config() {
        return Configs.map();
    }

    @Override
    public long macs() {
        return geometry == null ? 0 : geometry.macs();
    }

    @Override
    public String toString() {
        return type() + "()";
    }
}
