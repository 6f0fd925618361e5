package org.retina.train;

/** Training stopped because the loss, an activation, a gradient or a parameter became NaN or infinite. */
public final class TrainingDivergedException extends RuntimeException {
    private final int epoch;
    private final int batch;
    private final long step;

    /** {@code where} says what became non-finite: the loss, a layer's output, a gradient, a parameter. */
    public TrainingDivergedException(int epoch, int batch, long step, String where) {
        super("training diverged at epoch " + epoch + ", batch " + batch + " (step " + step + "): a NaN or infinite"
                + " value appeared in " + where + "; lower the learning rate (--lr) or clip gradients (--clip-norm)");
        this.epoch = epoch;
        this.batch = batch;
        this.step = step;
    }

    public int epoch() {
        return epoch;
    }

    public int batch() {
        return batch;
    }

    public long step() {
        return step;
    }
}
