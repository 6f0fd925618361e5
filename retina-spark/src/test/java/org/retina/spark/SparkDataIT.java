package org.retina.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.retina.data.Dataset;
import org.retina.data.DatasetStore;
import org.retina.loss.SoftmaxCrossEntropy;
import org.retina.model.Model;
import org.retina.optim.Adam;
import org.retina.testing.TestData;
import org.retina.train.Evaluation;
import org.retina.train.FitOptions;
import org.retina.train.Trainer;

/** IDX files read by the workers, a range each, are the dataset Retina reads; evaluation on Spark is Retina's. */
class SparkDataIT {

    private static String file(Path dir, String prefix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix)).findFirst().orElseThrow()
                    .toUri().toString();
        }
    }

    @Test
    void idxRangesAreTheDatasetAndEvaluationAddsUp() throws IOException {
        Path store = TestData.dataset("fashion-mnist");
        Dataset test = DatasetStore.open("fashion-mnist", DatasetStore.Split.TEST, store);
        SparkSession spark = SparkSessions.local(2);
        try {
            org.apache.spark.sql.Dataset<Row> rows = SparkData.fromIdx(spark, file(store, "t10k-images"),
                    file(store, "t10k-labels"), 3);
            assertEquals(3, rows.rdd().getNumPartitions());
            List<Row> all = rows.orderBy(SparkData.INDEX).collectAsList();
            assertEquals(test.size(), all.size());
            float[] px = new float[784];
            for (Row r : all) {
                int i = (int) r.getLong(0);
                test.copyPixels(i, px, 0);
                byte[] b = (byte[]) r.get(1);
                for (int k = 0; k < 784; k++) {
                    assertEquals(Math.round(px[k] * 255), b[k] & 0xFF, "image " + i + " pixel " + k);
                }
                assertEquals(test.label(i), r.getInt(2), "label " + i);
            }

            Model m = SparkTrainerIT.net();
            new Trainer(m, new SoftmaxCrossEntropy(), Adam.Config.of(2e-3)).fit(SparkTrainerIT.fashion(
                    DatasetStore.Split.TRAIN, 3000), FitOptions.epochs(1).withBatchSize(64));
            Evaluation here = Trainer.evaluate(m, new SoftmaxCrossEntropy(), test, 256);
            Evaluation there = SparkEvaluation.evaluate(spark, m, new SoftmaxCrossEntropy(), rows, null,
                    test.classNames(), 256);
            for (int c = 0; c < 10; c++) {
                assertArrayEquals(here.confusion()[c], there.confusion()[c], "confusion row " + c);
            }
            assertEquals(here.accuracy(), there.accuracy(), 0.0);
            // the mean loss is summed over other batches: double sums of float losses, equal to ~1e-7 relative
            assertEquals(here.loss(), there.loss(), 1e-6 * here.loss());
            assertTrue(there.accuracy() > 0.6, "a trained model: " + there);
        } finally {
            spark.stop();
        }
    }
}
