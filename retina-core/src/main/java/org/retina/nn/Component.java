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

    /**
     * Whether the training backward reads the output its last training forward returned. True unless a component
     * says otherwise: a model may overwrite an output that no backward reads, which is how a residual block's sum and
     * its ReLU keep no maps of their own (see {@link #mayOverwriteInput}).
     */
    default boolean backwardReadsOutput() {
        return true;
    }

    /**
     * Whether a training forward may write its output over the array of its input {@code i}, when its model has
     * made sure nothing else reads that array any more (this component is its last reader and its producer's
     * backward does not read it). True only where the kernel reads each value before writing the same index and
     * the backward does not read that input. The model asks for it through {@link Buffers#overwriting}; the
     * output holds the same values either way.
     */
    default boolean mayOverwriteInput(int i) {
        return false;
    }

    /** Input pixels per sample the layer's geometry never reads (floor mode); 0 for most. */
    default int droppedInputPixels() {
        return 0;
    }
}
