package org.retina.train;

/** Hooks into {@link Trainer#fit}: progress display, logs, checkpoints, early stopping. */
public interface Callback {

    default void onTrainBegin(Trainer trainer, int epochs) {
    }

    default void onEpochBegin(int epoch, int batches) {
    }

    /** After each training step: the running mean loss and accuracy of the epoch so far. */
    default void onBatchEnd(int epoch, int batch, int batches, double loss, double accuracy, long images,
                            double seconds) {
    }

    default void onEpochEnd(Trainer trainer, EpochResult result) {
    }

    default void onTrainEnd(Trainer trainer, History history) {
    }

    /** True to stop training after the current epoch. */
    default boolean stopRequested() {
        return false;
    }
}
