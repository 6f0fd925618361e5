package org.retina.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.retina.tensor.Parameter;

/**
 * Stops training once a monitored figure has stopped improving, as Keras's {@code EarlyStopping}; with
 * {@code restoreBestWeights}, the model ends with the weights (and batch-norm statistics) of its best epoch.
 */
public final class EarlyStopping implements Callback {
    private final Monitor monitor;
    private final int patience;
    private final double minDelta;
    private final boolean restoreBestWeights;
    private double best = Double.NaN;
    private int bestEpoch;
    private int wait;
    private boolean stop;
    private Map<String, float[]> bestWeights;

    /**
     * Stops once {@code monitor} has gone more than {@code patience} epochs without improving by more than
     * {@code minDelta}; {@code restoreBestWeights} puts the best epoch's weights back when training ends (stopped
     * early or not: the model a user keeps is the best one seen).
     */
    public EarlyStopping(Monitor monitor, int patience, double minDelta, boolean restoreBestWeights) {
        if (patience < 0 || !(minDelta >= 0)) {
            throw new IllegalArgumentException("EarlyStopping: patience " + patience + ", minDelta " + minDelta
                    + ", expected values >= 0");
        }
        this.monitor = java.util.Objects.requireNonNull(monitor, "monitor");
        this.patience = patience;
        this.minDelta = minDelta;
        this.restoreBestWeights = restoreBestWeights;
    }

    /** As {@link #EarlyStopping(Monitor, int, double, boolean)} with the monitor by name and no restoring. */
    public EarlyStopping(String monitor, int patience, double minDelta) {
        this(Monitor.of(monitor), patience, minDelta, false);
    }

    @Override
    public void onEpochEnd(Trainer trainer, EpochResult r) {
        double v = monitor.value(r);
        if (monitor.improves(v, best, minDelta)) {
            best = v;
            bestEpoch = r.epoch();
            wait = 0;
            if (restoreBestWeights) {
                bestWeights = snapshot(trainer);
            }
        } else if (++wait > patience) {
            stop = true;
        }
    }

    @Override
    public void onTrainEnd(Trainer trainer, History history) {
        if (restoreBestWeights && bestWeights != null) {
            trainer.synchronize();
            for (Map.Entry<String, Parameter> e : state(trainer).entrySet()) {
                float[] saved = bestWeights.get(e.getKey());
                System.arraycopy(saved, 0, e.getValue().value().data(), 0, saved.length);
            }
        }
    }

    /** The epoch with the best value so far (0 before the first). */
    public int bestEpoch() {
        return bestEpoch;
    }

    @Override
    public boolean stopRequested() {
        return stop;
    }

    private static Map<String, Parameter> state(Trainer trainer) {
        Map<String, Parameter> all = new LinkedHashMap<>(trainer.model().namedParameters());
        all.putAll(trainer.model().namedBuffers());
        return all;
    }

    private static Map<String, float[]> snapshot(Trainer trainer) {
        Map<String, float[]> copy = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : state(trainer).entrySet()) {
            copy.put(e.getKey(), e.getValue().value().data().clone());
        }
        return copy;
    }
}
