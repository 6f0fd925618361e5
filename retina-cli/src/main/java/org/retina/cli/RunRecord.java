package org.retina.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.retina.io.AtomicFile;
import org.retina.train.Evaluation;
import org.retina.train.History;
import org.retina.io.Json;

/**
 * A run folder's {@code run.json}: the command and hyper-parameters of a training run and, once it has ended, its
 * timings and results (test accuracy and loss, the kept epoch); {@code retina report} shows them and compares runs.
 */
record RunRecord(Map<String, Object> settings, Map<String, Object> timings, Map<String, Object> results) {
    static final String FILE = "run.json";

    RunRecord {
        // copies that keep the order the run wrote them in
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        timings = Collections.unmodifiableMap(new LinkedHashMap<>(timings));
        results = Collections.unmodifiableMap(new LinkedHashMap<>(results));
    }

    RunRecord(Map<String, Object> settings, Map<String, Object> timings) {
        this(settings, timings, Map.of());
    }

    /** The record in {@code dir}, or an empty one when the folder has none (runs of older versions). */
    @SuppressWarnings("unchecked")
    static RunRecord read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return new RunRecord(Map.of(), Map.of());
        }
        Map<String, Object> m;
        try {
            m = Json.parseObject(Files.readString(file));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " is not valid JSON: " + e.getMessage());
        }
        Object s = m.getOrDefault("settings", Map.of());
        Object t = m.getOrDefault("timings", Map.of());
        Object r = m.getOrDefault("results", Map.of());
        if (!(s instanceof Map<?, ?>) || !(t instanceof Map<?, ?>) || !(r instanceof Map<?, ?>)) {
            throw new IOException(file + ": 'settings', 'timings' and 'results' must be JSON objects");
        }
        return new RunRecord((Map<String, Object>) s, (Map<String, Object>) t, (Map<String, Object>) r);
    }

    RunRecord withTimings(Map<String, Object> t) {
        return new RunRecord(settings, t, results);
    }

    RunRecord withResults(Map<String, Object> r) {
        return new RunRecord(settings, timings, r);
    }

    void write(Path dir) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("settings", settings);
        m.put("timings", timings);
        m.put("results", results);
        AtomicFile.writeString(dir.resolve(FILE), Json.pretty(m));
    }

    /** The timings of a finished run: wall, training and test seconds, seconds an epoch, images a second. */
    static Map<String, Object> timings(History history, double wall, double fitSeconds, double testSeconds) {
        double secs = history.epochs().stream().mapToDouble(e -> e.seconds()).sum();
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("wall_seconds", round(wall));
        t.put("training_seconds", round(fitSeconds));
        t.put("seconds_per_epoch", round(secs / history.epochs().size()));
        t.put("training_images_per_second", Math.round(imagesPerSecond(history)));
        t.put("test_seconds", round(testSeconds));
        return t;
    }

    /** Training images per second over all epochs of {@code history}. */
    static double imagesPerSecond(History history) {
        double secs = history.epochs().stream().mapToDouble(e -> e.seconds()).sum();
        double images = history.epochs().stream().mapToDouble(e -> e.seconds() * e.imagesPerSecond()).sum();
        return images / secs;
    }

    /** {@code retina train --report FILE}: the run's figures as one JSON object, for scripts. */
    static void writeJson(Path report, String model, String dataset, History history, Evaluation ev,
                          int bestEpoch, double wall, double fitSeconds, int batchSize, long seed)
            throws IOException {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("model", model);
        r.put("dataset", dataset);
        r.put("test_accuracy", ev.accuracy());
        r.put("test_loss", ev.loss());
        r.put("epochs", history.epochs().size());
        r.put("best_epoch", bestEpoch);
        r.put("wall_seconds", wall);
        r.put("train_seconds", fitSeconds);
        r.put("train_images_per_second", imagesPerSecond(history));
        r.put("batch_size", batchSize);
        r.put("threads", org.retina.kernel.Engine.current().threads());
        r.put("seed", seed);
        r.put("per_class_accuracy", java.util.Arrays.stream(ev.perClassAccuracy()).boxed().toList());
        r.put("per_epoch", history.toMaps());
        AtomicFile.writeString(report, Json.pretty(r));
    }

    /** The results of a finished run: the kept model's test accuracy and loss, and its epoch. */
    static Map<String, Object> results(Evaluation ev, int bestEpoch) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("test_accuracy", ev.accuracy());
        r.put("test_loss", ev.loss());
        r.put("best_epoch", bestEpoch);
        return r;
    }

    private static double round(double seconds) {
        return Math.round(seconds * 10) / 10.0;
    }
}
