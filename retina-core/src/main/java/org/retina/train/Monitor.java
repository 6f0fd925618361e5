package org.retina.train;

import java.util.Locale;

/**
 * A figure of an epoch that callbacks watch, and which way is better: the losses go down, the accuracies up. The
 * validation figures fall back to the training ones in an epoch that was not validated.
 */
public enum Monitor {
    /** The training loss (lower is better). */
    LOSS("loss", false),
    /** The training accuracy (higher is better). */
    ACCURACY("accuracy", true),
    /** The validation loss (lower is better), Keras's default. */
    VAL_LOSS("val_loss", false),
    /** The validation accuracy (higher is better). */
    VAL_ACCURACY("val_accuracy", true);

    private final String key;
    private final boolean higherIsBetter;

    Monitor(String key, boolean higherIsBetter) {
        this.key = key;
        this.higherIsBetter = higherIsBetter;
    }

    /** The metric's name in logs and checkpoints: {@code loss}, {@code val_accuracy}, ... */
    public String key() {
        return key;
    }

    /** Whether a larger value is an improvement. */
    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /** The monitor named {@code name} ({@code val_loss}, {@code VAL_LOSS}), or an error listing the names. */
    public static Monitor of(String name) {
        for (Monitor m : values()) {
            if (m.key.equals(name.strip().toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException("monitor '" + name + "' is unknown; expected loss, accuracy, val_loss or"
                + " val_accuracy");
    }

    /** The epoch's value of this figure (the training one when the epoch was not validated). */
    public double value(EpochResult r) {
        return r.metric(r.hasValidation() ? this : training());
    }

    /** The training figure of a validation one ({@code val_loss} to {@code loss}); a training figure itself. */
    public Monitor training() {
        return switch (this) {
            case VAL_LOSS -> LOSS;
            case VAL_ACCURACY -> ACCURACY;
            default -> this;
        };
    }

    /** The validation figure of a training one ({@code loss} to {@code val_loss}); a validation figure itself. */
    public Monitor validation() {
        return switch (this) {
            case LOSS -> VAL_LOSS;
            case ACCURACY -> VAL_ACCURACY;
            default -> this;
        };
    }

    /** Whether {@code value} improves on {@code best} by more than {@code minDelta} (any value beats NaN). */
    public boolean improves(double value, double best, double minDelta) {
        if (Double.isNaN(best)) {
            return !Double.isNaN(value);
        }
        return higherIsBetter ? value - best > minDelta : best - value > minDelta;
    }
}
