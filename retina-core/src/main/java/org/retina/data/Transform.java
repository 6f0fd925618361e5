package org.retina.data;

import org.retina.tensor.Rng;
import org.retina.tensor.Shape;

/**
 * A random augmentation of one {@code (C, H, W)} sample, in place on [0, 1] pixels (before normalization);
 * it keeps the shape and draws its randomness only from {@code rng}, so runs repeat bit for bit.
 */
@FunctionalInterface
public interface Transform extends java.io.Serializable {

    /** Transforms the sample at {@code x[off .. off + shape.size())} in place. */
    void apply(float[] x, int off, Shape shape, Rng rng);
}
