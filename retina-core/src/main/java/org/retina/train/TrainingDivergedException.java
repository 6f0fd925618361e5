package org.retina.train;

/** Training stopped because the loss, an activation, a gradient or a parameter became NaN or infinite. */
public final class TrainingDivergedException extends RuntimeException {
    /** The epoch, 1-based. */
    private final int epoch;
    /** The batch within the epoch, 1-based. */
    private final int batch;
    /** The optimization step, counted from 1 over the whole run. */
    private final long step;

    /** {@code where} says what became non-finite: the loss, a layer's output, a gradient, a parameter. */
    public TrainingDivergedException(int epoch, int batch, long step, String where) {
        super("training diverged at epoch " + epoch + ", batch " + batch + " (step " + step + "): a NaN or infinite"
                + " value appeared in " + where + "; lower the learning rate (--lr) or clip gradients (--clip-norm)");
        this.epoch = epoch;
        this.batch = batch;
        this.step = step;
    }

    /** The epoch in which a non-finite value appeared, 1-based. */
    public int epoch() {
        return epoch;
    }

    /** The batch within the epoch in which a non-finite value appeared, 1-based. */
    public int batch() {
        return batch;
    }

    /** The optimization step at which a non-finite value appeared, counted from 1 over the whole run. */
    public long step() {
        return step;
    }
}
