package org.retina.onnx;

import org.retina.tensor.Shape;

/** What an ONNX value name stands for during import: a constant, or the output of a Retina node. */
sealed interface Value permits Const, Value.Live {

    /** The output of Retina node {@code node} (or the model input), with its per-sample shape. */
    record Live(String node, Shape sample) implements Value {
    }
}
