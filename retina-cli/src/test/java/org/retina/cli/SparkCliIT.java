package org.retina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.retina.data.Dataset;
import org.retina.data.DatasetStore;
import org.retina.data.Datasets;
import org.retina.io.Json;
import org.retina.testing.TestData;

/** {@code retina train --spark} and {@code retina predict --spark} in {@code local[2]}, as a user runs them. */
class SparkCliIT {
    @TempDir
    Path dir;

    @Test
    void trainOnTwoWorkersThenScoreAFolder() throws IOException {
        Path data = TestData.dataset("fashion-mnist");
        Path run = dir.resolve("run");
        CliIT.Run r = CliIT.run("train", "--spark", "local[2]", "--workers", "2", "--dataset", "fashion-mnist",
                "--data", data.toString(), "--epochs", "1", "--subset", "12800", "--validation", "1000", "--out",
                run.toString());
        System.out.println(r.out());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("2 workers, global batch 64 in shards of 32"), r.out());
        assertTrue(r.out().contains("Epoch 1/1: loss"), "the driver prints the epoch line: " + r.out());
        double acc = ((Number) ((Map<?, ?>) Json.parseObject(Files.readString(run.resolve("run.json")))
                .get("results")).get("test_accuracy")).doubleValue();
        // 11,800 Fashion-MNIST images, one epoch: a single-machine run reaches about 0.8
        assertTrue(acc > 0.78, "test accuracy " + acc);
        // the test set was evaluated on the workers: the figures of a local evaluation of the kept model
        Dataset testSet = DatasetStore.open("fashion-mnist", DatasetStore.Split.TEST, data);
        org.retina.train.Evaluation local = org.retina.train.Trainer.evaluate(
                org.retina.io.ModelFile.load(run.resolve("best.retina")), new org.retina.loss.SoftmaxCrossEntropy(),
                testSet, 256);
        assertEquals(local.accuracy(), acc, 0.0, "distributed test accuracy");
        Map<String, Object> settings = (Map<String, Object>) Json.parseObject(Files.readString(run.resolve("run.json")))
                .get("settings");
        assertEquals(2, ((Number) settings.get("workers")).intValue());
        assertTrue(Files.readString(run.resolve("report.html")).contains("workers"), "the report names the workers");

        // score 40 test images on Spark; each prediction is predict's first class for that file
        Dataset test = Datasets.take(DatasetStore.open("fashion-mnist", DatasetStore.Split.TEST, data), 40);
        Path images = Files.createDirectories(dir.resolve("images"));
        for (int i = 0; i < test.size(); i++) {
            TestData.writeGreyPng(test, i, images.resolve(String.format("%02d.png", i)));
        }
        Path model = run.resolve("best.retina");
        Path out = dir.resolve("scores.parquet");
        CliIT.Run p = CliIT.run("predict", "--spark", "local[2]", "--model", model.toString(), "--input",
                images.toString(), "--output", out.toString());
        assertEquals(0, p.code(), p.err());
        assertTrue(p.out().contains("Scored 40 images"), p.out());
        Map<String, String> first = new HashMap<>();
        for (int i = 0; i < test.size(); i++) {
            Path f = images.resolve(String.format("%02d.png", i));
            CliIT.Run one = CliIT.run("predict", "--model", model.toString(), "--top", "1", f.toString());
            String line = one.out().strip();
            first.put(f.toString(), line.substring(line.indexOf(':') + 1).strip().replaceAll(" [0-9.]+%$", ""));
        }
        SparkSession spark = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false")
                .getOrCreate();
        try {
            List<Row> rows = spark.read().parquet(out.toString()).collectAsList();
            assertEquals(40, rows.size());
            for (Row row : rows) {
                String path = Path.of(java.net.URI.create(row.getString(0))).toString();
                assertEquals(first.get(path), row.getString(2), path);
            }
        } finally {
            spark.stop();
        }
    }
}
