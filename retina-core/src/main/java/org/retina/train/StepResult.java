package org.retina.train;

/**
 * The figures of one training step: its global number (1-based, counting every step of the run, resumed ones
 * included), where it falls (epoch, batch of batches), the batch's own mean loss and accuracy, and the learning
 * rate it used.
 */
public record StepResult(long step, int epoch, int batch, int batches, double loss, double accuracy,
                         double learningRate) {

    /** The step's place in epochs: {@code epoch - 1 + batch / batches}, so that epoch 1 ends at 1.0. */
    public double progress() {
        return epoch - 1 + (double) batch / batches;
    }
}
