package org.retina.train;

/** Training stopped because the loss became NaN or infinite. */
public final class TrainingDivergedException extends RuntimeException {
    private final int epoch;
    private final int batch;
    private final long step;

    public TrainingDivergedException(int epoch, int batch, long step, double loss) {
        super("the loss became " + loss + " at epoch " + epoch + ", batch " + batch + " (step " + step
                + "): training diverged; lower the learning rate (--lr) or clip gradients");
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
