package org.retina.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures of one finished epoch (1-based); validation figures are NaN when there is no validation set.
 */
public record EpochResult(int epoch, double loss, double accuracy, double valLoss, double valAccuracy,
                          double learningRate, double seconds, double imagesPerSecond) {

    /** Whether the epoch was validated, so that the {@code val_} figures are numbers. */
    public boolean hasValidation() {
        return !Double.isNaN(valLoss);
    }

    /** The figure {@code figure} of this epoch as it is (a {@code val_} figure is NaN when the epoch was not validated). */
    public double metric(Monitor figure) {
        return switch (figure) {
            case LOSS -> loss;
            case ACCURACY -> accuracy;
            case VAL_LOSS -> valLoss;
            case VAL_ACCURACY -> valAccuracy;
        };
    }

    /** The figures by their names in {@code metrics.jsonl} and checkpoints; no {@code val_} keys without validation. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", epoch);
        m.put("loss", loss);
        m.put("accuracy", accuracy);
        if (hasValidation()) {
            m.put("val_loss", valLoss);
            m.put("val_accuracy", valAccuracy);
        }
        m.put("lr", learningRate);
        m.put("seconds", seconds);
        m.put("images_per_second", imagesPerSecond);
        return m;
    }

    /** The inverse of {@link #toMap()}; a missing figure reads as NaN. */
    public static EpochResult fromMap(Map<String, Object> m) {
        return new EpochResult(((Number) m.get("epoch")).intValue(), num(m, "loss"), num(m, "accuracy"),
                num(m, "val_loss"), num(m, "val_accuracy"), num(m, "lr"), num(m, "seconds"),
                num(m, "images_per_second"));
    }

    private static double num(Map<String, Object> m, String k) {
        Object v = m.get(k);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
