package org.retina.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.retina.data.format.ImageInput;
import org.retina.io.ModelFile;
import org.retina.model.Model;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;
import org.retina.train.Predictions;

/**
 * Batch scoring on Spark: a model file applied to a DataFrame of images with {@code mapPartitions}, the model
 * loaded once per executor thread and run on batches. Images come as Spark's {@code binaryFile} source gives them
 * ({@code path} and {@code content}, the bytes of a PNG, JPEG or BMP file, read as {@code retina predict} reads
 * files) or as {@link SparkData} rows ({@code image} pixels). Each row of the result has the input's {@code path}
 * or {@code index}, the predicted class, its name and the probabilities of every class.
 */
public final class SparkPredictor {
    /** Loaded models by broadcast, each used by one task at a time. */
    private static final Map<Long, ConcurrentLinkedQueue<ModelFile.Contents>> MODELS = new ConcurrentHashMap<>();

    private SparkPredictor() {
    }

    /**
     * Scores {@code images} with the model file {@code modelFile} (a local path on the driver), {@code batchSize}
     * images per forward pass; with {@code resize}, images of another size are resized as {@code retina predict
     * --resize} does.
     */
    public static org.apache.spark.sql.Dataset<Row> predict(SparkSession spark, Path modelFile,
                                                           org.apache.spark.sql.Dataset<Row> images, int batchSize,
                                                           boolean resize) throws IOException {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size " + batchSize + ", expected 1 or more");
        }
        ModelFile.Contents contents = ModelFile.read(modelFile);
        List<String> names = Arrays.asList(images.schema().fieldNames());
        boolean encoded = names.contains("content");
        if (!encoded && !names.contains(SparkData.IMAGE)) {
            throw new IllegalArgumentException("images DataFrame has columns " + names + ", expected 'path' and"
                    + " 'content' (Spark's binaryFile source) or '" + SparkData.IMAGE + "' (pixels)");
        }
        String key = encoded ? "path" : names.contains(SparkData.INDEX) ? SparkData.INDEX : null;
        if (key == null) {
            throw new IllegalArgumentException("images DataFrame: '" + SparkData.IMAGE + "' rows need an '"
                    + SparkData.INDEX + "' column (long) to say which output is whose");
        }
        Broadcast<byte[]> model = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .broadcast(Files.readAllBytes(modelFile));
        StructType out = new StructType()
                .add(key, encoded ? DataTypes.StringType : DataTypes.LongType, false)
                .add("prediction", DataTypes.IntegerType, false)
                .add("class", DataTypes.StringType, false)
                .add("probabilities", DataTypes.createArrayType(DataTypes.FloatType, false), false);
        List<String> classNames = classNames(contents);
        return images.select(key, encoded ? "content" : SparkData.IMAGE).mapPartitions(
                (MapPartitionsFunction<Row, Row>) rows -> score(model, rows, encoded, batchSize, resize, classNames),
                Encoders.row(out));
    }

    @SuppressWarnings("unchecked")
    private static List<String> classNames(ModelFile.Contents c) {
        Object n = c.metadata().get("classNames");
        return n instanceof List<?> l ? List.copyOf((List<String>) l) : null;
    }

    private static Iterator<Row> score(Broadcast<byte[]> model, Iterator<Row> rows, boolean encoded, int batchSize,
                                       boolean resize, List<String> classNames) throws IOException {
        ConcurrentLinkedQueue<ModelFile.Contents> pool = MODELS.computeIfAbsent(model.id(),
                k -> new ConcurrentLinkedQueue<>());
        ModelFile.Contents c = pool.poll();
        if (c == null) {
            c = load(model.value());
        }
        List<Row> out = new ArrayList<>();
        try {
            List<Row> batch = new ArrayList<>();
            while (rows.hasNext()) {
                batch.add(rows.next());
                if (batch.size() == batchSize || !rows.hasNext()) {
                    out.addAll(scoreBatch(c, batch, encoded, batchSize, resize, classNames));
                    batch.clear();
                }
            }
        } finally {
            pool.add(c);
        }
        return out.iterator();
    }

    private static List<Row> scoreBatch(ModelFile.Contents c, List<Row> batch, boolean encoded, int batchSize,
                                        boolean resize, List<String> classNames) throws IOException {
        Model m = c.model();
        Shape in = m.inputShape();
        Tensor x;
        if (encoded) {
            List<ImageInput.Encoded> images = new ArrayList<>();
            for (Row r : batch) {
                images.add(new ImageInput.Encoded(r.getString(0), (byte[]) r.get(1)));
            }
            x = ImageInput.read(images, in, c.metadata(), resize);
        } else {
            x = pixels(batch, in, c.metadata());
        }
        Predictions p = Predictions.of(m, x, batchSize);
        Tensor prob = p.probabilities();
        int k = prob.size() / batch.size();
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Float[] pr = new Float[k];
            int best = 0;
            for (int j = 0; j < k; j++) {
                pr[j] = prob.data()[i * k + j];
                if (pr[j] > pr[best]) {
                    best = j;
                }
            }
            String name = classNames != null && best < classNames.size() ? classNames.get(best)
                    : Integer.toString(best);
            rows.add(RowFactory.create(batch.get(i).get(0), best, name, pr));
        }
        return rows;
    }

    /** {@link SparkData} pixel rows as a batch, normalized with the model file's statistics. */
    private static Tensor pixels(List<Row> batch, Shape in, Map<String, Object> metadata) {
        int per = in.size();
        Tensor x = Tensor.zeros(in.withBatch(batch.size()));
        float[] mean = ImageInput.floats(metadata.get("normalizeMean"));
        float[] std = ImageInput.floats(metadata.get("normalizeStd"));
        int plane = per / in.dim(0);
        float[] xd = x.data();
        for (int i = 0; i < batch.size(); i++) {
            Row r = batch.get(i);
            byte[] bytes = r.get(1) instanceof byte[] b ? b : null;
            List<Float> floats = bytes == null ? r.getList(1) : null;
            int len = bytes != null ? bytes.length : floats.size();
            if (len != per) {
                throw new IllegalArgumentException("row " + r.get(0) + " has " + len + " pixels, the model"
                        + " reads samples of " + in + " (" + per + ")");
            }
            for (int k = 0; k < per; k++) {
                if (bytes != null) {
                    // bytes are pixels: scaled, then normalized as the model's training data was
                    float f = org.retina.data.ByteDataset.scale(bytes[k] & 0xFF);
                    int c = k / plane;
                    xd[i * per + k] = mean == null ? f : (f - mean[c]) / std[c];
                } else {
                    // floats are the model's input as they are
                    xd[i * per + k] = floats.get(k);
                }
            }
        }
        return x;
    }

    private static ModelFile.Contents load(byte[] file) {
        try {
            return ModelFile.read(file, "the model sent to this executor");
        } catch (IOException e) {
            throw new UncheckedIOException("SparkPredictor: cannot read the model on this executor: "
                    + e.getMessage(), e);
        }
    }
}
