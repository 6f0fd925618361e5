package org.retina.onnx;

import org.retina.tensor.Shape;

/** What an ONNX value name stands for during import: a constant, or the output of a Retina node. */
sealed interface Value permits Const, Value.Live {

    /**
     * The output of Retina node {@code node} (or the model input), with its per-sample shape as Retina holds it.
     * {@code channelsLast}: the ONNX graph sees this value transposed to {@code (N, H, W, C)} (after a
     * {@code Transpose [0, 2, 3, 1]}) while Retina keeps it {@code (C, H, W)}; only ops that act per position over
     * the last axis, or value by value, may read it until a {@code Transpose [0, 3, 1, 2]} turns it back.
     */
    record Live(String node, Shape sample, boolean channelsLast) implements Value {
        /** A value in Retina's own layout. */
        Live(String node, Shape sample) {
            this(node, sample, false);
        }

        /** The same value seen in the given layout. */
        Live as(boolean last) {
            return new Live(node, sample, last);
        }
    }
}
