package org.retina.train;

/** Stops training when a monitored metric has not improved by {@code minDelta} for {@code patience} epochs. */
public final class EarlyStopping implements Callback {
    private final String monitor;
    private final int patience;
    private final double minDelta;
    private double best = Double.NaN;
    private int wait;
    private boolean stop;

    /**
     * Stops once {@code monitor} has gone more than {@code patience} epochs without improving by more than {@code
     * minDelta}.
     */
    public EarlyStopping(String monitor, int patience, double minDelta) {
        if (patience < 0 || minDelta < 0) {
            throw new IllegalArgumentException("EarlyStopping: patience " + patience + ", minDelta " + minDelta
                    + ", expected values >= 0");
        }
        this.monitor = monitor;
        this.patience = patience;
        this.minDelta = minDelta;
    }

    @Override
    public void onEpochEnd(Trainer trainer, EpochResult r) {
        String m = monitor.startsWith("val_") && !r.hasValidation() ? monitor.substring(4) : monitor;
        double v = r.metric(m);
        double sign = m.endsWith("accuracy") ? 1 : -1;
        if (Double.isNaN(best) || sign * (v - best) > minDelta) {
            best = v;
            wait = 0;
        } else if (++wait > patience) {
            stop = true;
        }
    }

    @Override
    public boolean stopRequested() {
        return stop;
    }
}
