package org.retina.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.retina.io.AtomicFile;
import org.retina.io.Json;

/**
 * Writes the history after every epoch as {@code metrics.csv} and {@code metrics.jsonl} (one JSON object a line);
 * {@link #read} reads it back.
 */
public final class MetricsLog implements Callback {
    private static final List<String> COLUMNS = List.of("epoch", "loss", "accuracy", "val_loss", "val_accuracy", "lr",
            "seconds", "images_per_second");
    private final Path dir;

    /** A log writing into the run folder {@code dir}. */
    public MetricsLog(Path dir) {
        this.dir = dir;
    }

    /** The history a run folder's {@code metrics.jsonl} holds, with the file named in any error. */
    public static History read(Path dir) throws IOException {
        Path file = dir.resolve("metrics.jsonl");
        List<Object> rows = new ArrayList<>();
        int n = 0;
        for (String line : Files.readAllLines(file)) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            try {
                rows.add(Json.parseObject(line));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": line " + n + " is not a JSON object: " + e.getMessage());
            }
        }
        try {
            return History.fromMaps(rows);
        } catch (RuntimeException e) {
            throw new IOException(file + ": not a metrics log (a row lacks epoch figures): " + e, e);
        }
    }

    @Override
    public void onEpochEnd(Trainer trainer, EpochResult result) {
        StringBuilder csv = new StringBuilder(String.join(",", COLUMNS)).append('\n');
        StringBuilder jsonl = new StringBuilder();
        for (Map<String, Object> row : trainer.history().toMaps()) {
            for (int i = 0; i < COLUMNS.size(); i++) {
                Object v = row.get(COLUMNS.get(i));
                csv.append(i > 0 ? "," : "").append(v == null ? "" : v instanceof Double d
                        ? String.format(Locale.ROOT, "%.6g", d) : v.toString());
            }
            csv.append('\n');
            jsonl.append(Json.write(row)).append('\n');
        }
        try {
            AtomicFile.writeString(dir.resolve("metrics.csv"), csv.toString());
            AtomicFile.writeString(dir.resolve("metrics.jsonl"), jsonl.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the metrics log in " + dir, e);
        }
    }
}
