package org.retina.train;

/** Hooks into {@link Trainer#fit}: progress display, logs, checkpoints, early stopping. */
public interface Callback {

    /** Before the first epoch of a fit that runs until {@code epochs} epochs are complete in all. */
    default void onTrainBegin(Trainer trainer, int epochs) {
    }

    /** Before epoch {@code epoch} (1-based), which has {@code batches} batches. */
    default void onEpochBegin(int epoch, int batches) {
    }

    /** After each training step: the running mean loss and accuracy of the epoch so far. */
    default void onBatchEnd(int epoch, int batch, int batches, double loss, double accuracy, long images,
                            double seconds) {
    }

    /** After each training step, with that step's own loss and accuracy (curves per step, event logs). */
    default void onStepEnd(StepResult step) {
    }

    /** After an epoch and its validation, with the model and optimizer synchronized from the device. */
    default void onEpochEnd(Trainer trainer, EpochResult result) {
    }

    /** After the last epoch, or after the epoch at which a callback asked to stop. */
    default void onTrainEnd(Trainer trainer, History history) {
    }

    /** True to stop training after the current epoch. */
    default boolean stopRequested() {
        return false;
    }
}
