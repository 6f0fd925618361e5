package org.retina.testing;

import org.retina.nn.Layer;
import org.retina.nn.Mode;
import org.retina.tensor.Tensor;

/**
 * How a reference test runs a built layer with its current weights: on the CPU engine here; a device module supplies
 * its own, so the same cases check that device's arithmetic.
 */
public interface LayerRunner {
    /** The CPU engine: the layer's own forward and backward. */
    LayerRunner CPU = new LayerRunner() {
        @Override
        public Tensor[] train(Layer layer, Tensor x, Tensor gradOut) {
            Tensor y = layer.forward(x, Mode.TRAIN);
            return new Tensor[] {y, layer.backward(gradOut)};
        }

        @Override
        public Tensor eval(Layer layer, Tensor x) {
            return layer.forward(x, Mode.EVAL);
        }
    };

    /**
     * A training-mode forward of {@code x}, then the backward of {@code gradOut}: returns the output and the input's
     * gradient; the parameters' gradients and updated buffers are left in the layer's host tensors.
     */
    Tensor[] train(Layer layer, Tensor x, Tensor gradOut);

    /** An evaluation-mode forward. */
    Tensor eval(Layer layer, Tensor x);
}
