package org.retina.nn;

import java.util.List;
import java.util.Map;
import org.retina.tensor.Parameter;
import org.retina.tensor.Rng;

/**
 * What a model is made of: a {@link Layer} (one input) or a {@link Merge} (several inputs).
 * A component is configured at construction, built once for an input shape, then run many times.
 * Forward in {@link Mode#EVAL} changes nothing in the component, so a built model can serve many threads.
 */
public sealed interface Component permits Layer, Merge {

    /** The type name used in summaries and model files: {@code Conv2d}. */
    String type();

    /** The settings that rebuild an equal component, as plain values (numbers, strings, booleans, lists). */
    Map<String, Object> config();

    /** Learnable parameters in a fixed order ({@code weight}, then {@code bias}). Empty before build. */
    default List<Parameter> parameters() {
        return List.of();
    }

    /** State saved with the model but not learned ({@code running_mean}, ...). Empty before build. */
    default List<Parameter> buffers() {
        return List.of();
    }

    /** Fills parameters with their initial values (PyTorch's defaults unless the config says otherwise). */
    default void initialize(Rng rng) {
    }

    /**
     * Multiply-accumulates per sample of the forward pass, known after build: products with weights
     * (convolution, dense, locally connected) and, for pooling, one per window element read; activations,
     * dropout, flatten, normalization and merges report 0.
     */
    default long macs() {
        return 0;
    }

    /** Input pixels per sample the layer's geometry never reads (floor mode); 0 for most. */
    default int droppedInputPixels() {
        return 0;
    }
}
