package org.retina.nn;

import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * A component with one input: built for a per-sample input shape, then run forward and backward on batches.
 * Backward follows the last forward in {@link Mode#TRAIN}, adds into parameter gradients and returns the
 * gradient of its input.
 */
public non-sealed interface Layer extends Component {

    /**
     * Checks the per-sample input shape (no batch dimension), infers what the config left open, allocates the
     * parameters once, and returns the per-sample output shape.
     *
     * @throws ShapeException when the geometry does not fit
     */
    Shape build(Shape in);

    /** {@code x}: {@code (N, ...input shape)}; returns {@code (N, ...output shape)}. */
    Tensor forward(Tensor x, Mode mode);

    /**
     * The gradient of the input, given the gradient of the output of the last training forward. {@code gradOut} is
     * left as it is, except in a model's backward pass where {@link Buffers#mayOverwrite} allows writing over it.
     */
    Tensor backward(Tensor gradOut);

    /**
     * Adds the parameter gradients of the last training forward, as {@link #backward} does, without computing the
     * input's gradient: for a layer reading the model's input, whose gradient a training step does not need.
     * Layers whose input gradient costs as much as their weights' (convolution, dense) override it.
     */
    default void backwardParameters(Tensor gradOut) {
        backward(gradOut);
    }

    /**
     * How this built layer can join a {@link ConvBlock} (its {@link BlockPart}), or null
     * when it cannot: a model's fusion plan asks each layer this and names no layer type itself.
     */
    default BlockPart blockPart() {
        return null;
    }
}
