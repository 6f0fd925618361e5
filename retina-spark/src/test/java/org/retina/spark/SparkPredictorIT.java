package org.retina.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.retina.data.Dataset;
import org.retina.data.DatasetStore;
import org.retina.data.format.ImageInput;
import org.retina.io.ModelFile;
import org.retina.loss.SoftmaxCrossEntropy;
import org.retina.model.Model;
import org.retina.optim.Adam;
import org.retina.tensor.Tensor;
import org.retina.train.FitOptions;
import org.retina.train.Predictions;
import org.retina.train.Trainer;

/** Scoring image files on Spark gives what {@code retina predict} computes for them, bit for bit. */
class SparkPredictorIT {

    @Test
    void scoringAFolderEqualsPredictOnTheSameFiles() throws Exception {
        Dataset train = SparkTrainerIT.fashion(DatasetStore.Split.TRAIN, 3000);
        Model m = SparkTrainerIT.net();
        new Trainer(m, new SoftmaxCrossEntropy(), Adam.Config.of(2e-3)).fit(train, FitOptions.epochs(1)
                .withBatchSize(64));
        Path dir = Files.createTempDirectory("retina-score");
        Path modelFile = dir.resolve("fashion.retina");
        ModelFile.save(modelFile, m, Map.of("classNames", DatasetStore.FASHION_MNIST_CLASSES));
        Path images = Files.createDirectories(dir.resolve("images"));
        Dataset test = SparkTrainerIT.fashion(DatasetStore.Split.TEST, 150);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < test.size(); i++) {
            Path f = images.resolve(String.format("%03d.png", i));
            org.retina.testing.TestData.writeGreyPng(test, i, f);
            files.add(f);
        }
        // what retina predict computes for the same files
        List<ImageInput.Encoded> enc = new ArrayList<>();
        for (Path f : files) {
            enc.add(new ImageInput.Encoded(f.toString(), Files.readAllBytes(f)));
        }
        Tensor expected = Predictions.of(m, ImageInput.read(enc, m.inputShape(), Map.of(), false), 64)
                .probabilities();

        SparkSession spark = SparkSessions.local(2);
        try {
            org.apache.spark.sql.Dataset<Row> df = spark.read().format("binaryFile").load(images.toString())
                    .repartition(3);
            List<Row> rows = SparkPredictor.predict(spark, modelFile, df, 16, false).collectAsList();
            assertEquals(files.size(), rows.size());
            Map<String, Row> byPath = new HashMap<>();
            for (Row r : rows) {
                byPath.put(Path.of(java.net.URI.create(r.getString(0))).toString(), r);
            }
            int right = 0;
            for (int i = 0; i < files.size(); i++) {
                Row r = byPath.get(files.get(i).toString());
                List<Float> p = r.getList(3);
                float[] got = new float[p.size()];
                for (int j = 0; j < got.length; j++) {
                    got[j] = p.get(j);
                }
                float[] want = java.util.Arrays.copyOfRange(expected.data(), i * 10, i * 10 + 10);
                assertArrayEquals(want, got, 0f, files.get(i) + ": Spark vs predict");
                assertEquals(DatasetStore.FASHION_MNIST_CLASSES.get(r.getInt(1)), r.getString(2));
                right += r.getInt(1) == test.label(i) ? 1 : 0;
            }
            assertTrue(right > 100, "a trained model's predictions: " + right + "/150 right");

            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SparkPredictor.predict(spark, modelFile, df.drop("content"), 16, false));
            assertTrue(e.getMessage().contains("expected 'path' and 'content'"), e.getMessage());
        } finally {
            spark.stop();
        }
    }

    @Test
    void imageFoldersAndParquetGiveTheRowsOfTheDatasetTheyCameFrom() throws Exception {
        Dataset data = SparkTrainerIT.fashion(DatasetStore.Split.TEST, 256);
        Path root = Files.createTempDirectory("retina-folders");
        float[] px = new float[784];
        for (int i = 0; i < data.size(); i++) {
            // folder names cannot hold "T-shirt/top": classes c0 .. c9
            Path dir = Files.createDirectories(root.resolve("c" + data.label(i)));
            org.retina.testing.TestData.writeGreyPng(data, i, dir.resolve(String.format("%03d.png", i)));
        }
        SparkSession spark = SparkSessions.local(2);
        try {
            org.apache.spark.sql.Dataset<Row> files = spark.read().format("binaryFile")
                    .option("recursiveFileLookup", "true").load(root.toString());
            List<String> folders = java.util.stream.IntStream.range(0, 10).mapToObj(k -> "c" + k).toList();
            List<Row> rows = SparkData.fromImageFiles(files, org.retina.tensor.Shape.of(1, 28, 28), folders)
                    .collectAsList();
            assertEquals(data.size(), rows.size());
            for (Row r : rows) {
                String name = Path.of(java.net.URI.create(r.getString(2))).getFileName().toString();
                int i = Integer.parseInt(name.substring(0, 3));
                data.copyPixels(i, px, 0);
                byte[] b = (byte[]) r.get(0);
                for (int k = 0; k < 784; k++) {
                    assertEquals(Math.round(px[k] * 255), b[k] & 0xFF, name + " pixel " + k);
                }
                assertEquals(data.label(i), r.getInt(1), name);
            }

            // the same rows through Parquet train the same model, bit for bit
            Path parquet = root.resolve("rows.parquet");
            SparkData.of(spark, data).write().parquet(parquet.toString());
            org.apache.spark.sql.Dataset<Row> back = spark.read().parquet(parquet.toString());
            org.retina.parallel.DataParallel.Settings s = org.retina.parallel.DataParallel.Settings.of(1, 32);
            Model a = SparkTrainerIT.net();
            Model b = org.retina.parallel.ShardedTraining.replica(org.retina.parallel.ShardedTraining.toBytes(a));
            new SparkTrainer(spark, a, new SoftmaxCrossEntropy(), Adam.Config.of(1e-3), 2).fit(back, null, s);
            new SparkTrainer(spark, b, new SoftmaxCrossEntropy(), Adam.Config.of(1e-3), 2)
                    .fit(SparkData.of(spark, data), null, s);
            assertArrayEquals(SparkTrainerIT.values(b), SparkTrainerIT.values(a), 0f, "Parquet vs in-memory rows");
        } finally {
            spark.stop();
        }
    }
}
