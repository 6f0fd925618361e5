package org.retina.train;

/**
 * Lowers the learning rate when a monitored figure stops improving, as Keras's {@code ReduceLROnPlateau} and
 * PyTorch's scheduler of that name: after {@code patience} epochs (at least one) without an improvement of more than
 * {@code minDelta}, the base rate is multiplied by {@code factor}, then left alone for {@code cooldown} epochs, and
 * never taken below {@code minLr}.
 */
public final class ReduceLrOnPlateau implements Callback {
    private final Monitor monitor;
    private final double factor;
    private final int patience;
    private final double minDelta;
    private final int cooldown;
    private final double minLr;
    private double best = Double.NaN;
    private int wait;
    private int cooling;

    /** The full form; see the class note. */
    public ReduceLrOnPlateau(Monitor monitor, double factor, int patience, double minDelta, int cooldown,
                             double minLr) {
        if (!(factor > 0 && factor < 1) || patience < 0 || !(minDelta >= 0) || cooldown < 0 || !(minLr >= 0)) {
            throw new IllegalArgumentException("ReduceLrOnPlateau: factor " + factor + " (expected in (0, 1)),"
                    + " patience " + patience + ", minDelta " + minDelta + ", cooldown " + cooldown + ", minLr "
                    + minLr + " (expected >= 0)");
        }
        this.monitor = java.util.Objects.requireNonNull(monitor, "monitor");
        this.factor = factor;
        this.patience = patience;
        this.minDelta = minDelta;
        this.cooldown = cooldown;
        this.minLr = minLr;
    }

    /** Keras's defaults: factor 0.1, patience 10, no minimum change, no cooldown, no floor. */
    public static ReduceLrOnPlateau of(Monitor monitor) {
        return new ReduceLrOnPlateau(monitor, 0.1, 10, 0, 0, 0);
    }

    @Override
    public void onEpochEnd(Trainer trainer, EpochResult r) {
        double v = monitor.value(r);
        if (cooling > 0) {
            cooling--;
        }
        if (monitor.improves(v, best, minDelta)) {
            best = v;
            wait = 0;
            return;
        }
        if (cooling == 0 && ++wait >= Math.max(1, patience)) {
            double lr = trainer.baseLearningRate();
            double next = Math.max(minLr, lr * factor);
            if (next < lr) {
                trainer.scaleLearningRate(next / lr);
            }
            wait = 0;
            cooling = cooldown;
        }
    }
}
