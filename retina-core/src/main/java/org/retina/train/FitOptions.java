package org.retina.train;

import java.util.List;
import org.retina.data.Dataset;

/**
 * How {@link Trainer#fit(Dataset, FitOptions)} trains, as Keras's {@code fit} arguments: epochs, batch size, the
 * validation data (none by default) and the callbacks. {@code FitOptions.epochs(5).withBatchSize(64).withValidation(v)}.
 */
public record FitOptions(int epochs, int batchSize, Dataset validation, List<Callback> callbacks) {
    /** The batch size unless one is given, Keras's default. */
    public static final int DEFAULT_BATCH_SIZE = 32;

    /** Checks that epochs and batch size are at least 1 and copies the callbacks. */
    public FitOptions {
        if (epochs < 1) {
            throw new IllegalArgumentException("FitOptions: epochs " + epochs + ", expected 1 or more (the epochs to have"
                    + " completed in all; a resumed trainer continues towards it)");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("FitOptions: batch size " + batchSize + ", expected 1 or more");
        }
        callbacks = List.copyOf(callbacks);
    }

    /** Training until {@code epochs} epochs are complete, batches of {@value #DEFAULT_BATCH_SIZE}, no validation. */
    public static FitOptions epochs(int epochs) {
        return new FitOptions(epochs, DEFAULT_BATCH_SIZE, null, List.of());
    }

    /** With batches of {@code n} images. */
    public FitOptions withBatchSize(int n) {
        return new FitOptions(epochs, n, validation, callbacks);
    }

    /** Validating on {@code data} after each epoch (null: no validation). */
    public FitOptions withValidation(Dataset data) {
        return new FitOptions(epochs, batchSize, data, callbacks);
    }

    /** With these callbacks, called in order. */
    public FitOptions withCallbacks(Callback... c) {
        return new FitOptions(epochs, batchSize, validation, List.of(c));
    }
}
