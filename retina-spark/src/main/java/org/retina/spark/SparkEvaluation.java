package org.retina.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.retina.data.Dataset;
import org.retina.data.Normalization;
import org.retina.io.ModelFile;
import org.retina.loss.Loss;
import org.retina.model.Model;
import org.retina.parallel.ShardedTraining;
import org.retina.train.Evaluation;
import org.retina.train.Trainer;

/**
 * Evaluation on Spark: each task evaluates the model on its partition of the rows, and the loss sums, counts and
 * confusion matrices are added up on the driver: the same figures as {@link Trainer#evaluate} on all the rows.
 */
public final class SparkEvaluation {
    private SparkEvaluation() {
    }

    /**
     * Loss, accuracy and confusion matrix of {@code model} (evaluation mode) on {@code rows} ({@link SparkData}'s
     * columns), normalized by {@code normalization} (null: none), with {@code classNames} naming the labels.
     */
    public static Evaluation evaluate(SparkSession spark, Model model, Loss loss,
                                      org.apache.spark.sql.Dataset<Row> rows, Normalization normalization,
                                      List<String> classNames, int batchSize) {
        SparkData.check(rows, "evaluation");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size " + batchSize + ", expected 1 or more");
        }
        Broadcast<byte[]> image = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .broadcast(ShardedTraining.toBytes(model));
        int[] shape = model.inputShape().dims();
        List<String> names = List.copyOf(classNames);
        int classes = Math.max(names.size(), model.outputShape().size());
        Loss fresh = loss.copy();
        float[] mean = normalization == null ? null : normalization.mean();
        float[] std = normalization == null ? null : normalization.std();
        try {
            List<double[]> parts = SparkData.keyed(rows, false).values().mapPartitions(it -> {
                List<Sample> samples = new ArrayList<>();
                it.forEachRemaining(samples::add);
                if (samples.isEmpty()) {
                    return List.of(new double[2 + classes * classes]).iterator();
                }
                Dataset d = SparkData.dataset(samples, "evaluation partition", org.retina.tensor.Shape.of(shape),
                        names);
                if (mean != null) {
                    d = d.normalized(mean, std);
                }
                return List.of(Trainer.evaluate(ModelFile.read(image.value(), "the model sent to this executor").model(),
                        fresh.copy(), d, batchSize)
                        .totals()).iterator();
            }).collect();
            double[] sum = new double[2 + classes * classes];
            for (double[] p : parts) {
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += p[i];
                }
            }
            return Evaluation.fromTotals(sum, classes, names);
        } finally {
            image.destroy();
        }
    }
}
