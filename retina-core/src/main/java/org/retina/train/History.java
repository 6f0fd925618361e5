package org.retina.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** The per-epoch figures of a training run, in order (Keras's {@code History}). */
public final class History {
    private final List<EpochResult> epochs = new ArrayList<>();

    /** An empty history, before the first epoch. */
    public History() {
    }

    /** Appends the figures of the next epoch. */
    public void add(EpochResult r) {
        epochs.add(r);
    }

    /** The epochs in order, unmodifiable. */
    public List<EpochResult> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    /** Whether no epoch has finished yet. */
    public boolean isEmpty() {
        return epochs.isEmpty();
    }

    /** The latest epoch; there must be one. */
    public EpochResult last() {
        return epochs.getLast();
    }

    /** The values of a figure, epoch by epoch, as they are (NaN for a {@code val_} figure of an unvalidated epoch). */
    public double[] series(Monitor figure) {
        return epochs.stream().mapToDouble(e -> e.metric(figure)).toArray();
    }

    /** The epochs as {@link EpochResult#toMap()} maps, for checkpoints. */
    public List<Map<String, Object>> toMaps() {
        return epochs.stream().map(EpochResult::toMap).toList();
    }

    /** The inverse of {@link #toMaps()}. */
    @SuppressWarnings("unchecked")
    public static History fromMaps(List<?> rows) {
        History h = new History();
        for (Object o : rows) {
            h.add(EpochResult.fromMap((Map<String, Object>) o));
        }
        return h;
    }
}
