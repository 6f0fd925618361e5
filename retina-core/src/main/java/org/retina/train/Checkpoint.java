package org.retina.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.retina.io.ModelFile;

/**
 * Keeps the best model by a monitored metric ({@code best.retina}, as Keras's ModelCheckpoint with
 * save_best_only) and, after every epoch, everything needed to resume ({@code last.retina}: model, optimizer
 * state, epoch, history). Both are written atomically: a crash leaves the previous complete file in place.
 */
public final class Checkpoint implements Callback {
    /** The file of the best model so far, in the checkpoint folder. */
    public static final String BEST = "best.retina";
    /** The file to resume from, rewritten after every epoch. */
    public static final String LAST = "last.retina";

    private final Path dir;
    private final Monitor monitor;
    private final Map<String, Object> metadata;
    private double best = Double.NaN;
    private int bestEpoch;

    /** Monitors {@code val_loss} (or {@code loss} when there is no validation set). */
    public Checkpoint(Path dir, Map<String, Object> metadata) {
        this(dir, Monitor.VAL_LOSS, metadata);
    }

    /** Monitors {@code monitor} ({@code val_} metrics fall back to the training ones without validation). */
    public Checkpoint(Path dir, Monitor monitor, Map<String, Object> metadata) {
        this.dir = dir;
        this.monitor = monitor;
        this.metadata = Map.copyOf(metadata);
    }

    @Override
    public void onTrainBegin(Trainer trainer, int epochs) {
        // a resumed run starts from the best value its history already reached
        for (EpochResult r : trainer.history().epochs()) {
            consider(r);
        }
    }

    private boolean consider(EpochResult r) {
        double v = monitor.value(r);
        // the first epoch is kept even when its figure is NaN, so that a run always leaves a best model
        if (Double.isNaN(best) || monitor.improves(v, best, 0)) {
            best = v;
            bestEpoch = r.epoch();
            return true;
        }
        return false;
    }

    @Override
    public void onEpochEnd(Trainer trainer, EpochResult result) {
        try {
            if (consider(result)) {
                Map<String, Object> meta = new LinkedHashMap<>(metadata);
                meta.put("epoch", result.epoch());
                meta.put("monitor", monitor.key());
                meta.put("monitorValue", best);
                ModelFile.save(dir.resolve(BEST), trainer.model(), meta);
            }
            Map<String, Object> meta = new LinkedHashMap<>(metadata);
            meta.put("trainer", trainer.state());
            ModelFile.save(dir.resolve(LAST), trainer.model(), meta, trainer.optimizerState());
        } catch (IOException e) {
            throw new UncheckedIOException("could not write a checkpoint in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The best value of the monitored metric so far, NaN before the first epoch. */
    public double best() {
        return best;
    }

    /** The epoch (1-based) of the best value; 0 before the first epoch. */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** The path of {@link #BEST} in the checkpoint folder. */
    public Path bestFile() {
        return dir.resolve(BEST);
    }
}
