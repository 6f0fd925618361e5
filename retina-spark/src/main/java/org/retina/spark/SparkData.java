package org.retina.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.retina.data.ByteDataset;
import org.retina.data.Dataset;
import org.retina.parallel.Collective;
import org.retina.tensor.Shape;
import scala.Tuple2;

/**
 * Images as Spark rows and back. A training DataFrame has an {@code image} column, the pixels of one sample in
 * {@code C x H x W} order as {@code binary} (uint8, scaled by 1/255 as Retina's datasets are) or as
 * {@code array<float>} (values as the model reads them), and an integer {@code label} column. An optional
 * {@code long} column {@code index} orders the rows; without it, the DataFrame's own order does.
 */
public final class SparkData {
    /** The column of pixels. */
    public static final String IMAGE = "image";
    /** The column of class indices. */
    public static final String LABEL = "label";
    /** The optional column that orders the rows. */
    public static final String INDEX = "index";

    private SparkData() {
    }

    /**
     * A Retina dataset as a DataFrame of {@code index}, {@code image} and {@code label}: bytes when every pixel is
     * a whole number of 255ths (the image datasets Retina reads), floats otherwise. Normalization is not applied:
     * the trainer applies the dataset's own on the workers.
     */
    public static org.apache.spark.sql.Dataset<Row> of(SparkSession spark, Dataset data) {
        int per = data.sampleShape().size();
        float[] px = new float[per];
        List<Row> rows = new ArrayList<>(data.size());
        boolean bytes = true;
        for (int i = 0; i < data.size() && bytes; i++) {
            data.copyPixels(i, px, 0);
            for (float v : px) {
                if (ByteDataset.scale(Math.round(v * 255f)) != v) {
                    bytes = false;
                    break;
                }
            }
        }
        for (int i = 0; i < data.size(); i++) {
            data.copyPixels(i, px, 0);
            Object image;
            if (bytes) {
                byte[] b = new byte[per];
                for (int k = 0; k < per; k++) {
                    b[k] = (byte) Math.round(px[k] * 255f);
                }
                image = b;
            } else {
                image = px.clone();
            }
            rows.add(RowFactory.create((long) i, image, data.label(i)));
        }
        StructType schema = new StructType(new StructField[] {
            DataTypes.createStructField(INDEX, DataTypes.LongType, false),
            DataTypes.createStructField(IMAGE, bytes ? DataTypes.BinaryType
                    : DataTypes.createArrayType(DataTypes.FloatType, false), false),
            DataTypes.createStructField(LABEL, DataTypes.IntegerType, false)});
        return spark.createDataFrame(rows, schema);
    }

    /**
     * Labelled image files as training rows: {@code files} as Spark's {@code binaryFile} source reads a folder whose
     * sub-folders are the classes ({@code root/<class>/<image>}, as {@code ImageFolder}), decoded on the executors
     * into {@code shape} {@code (C, H, W)} pixels (resized and converted to grey or colour to fit). Rows are ordered
     * by path; a file's label is the index of its parent folder's name in {@code classNames}.
     */
    public static org.apache.spark.sql.Dataset<Row> fromImageFiles(org.apache.spark.sql.Dataset<Row> files,
                                                                   Shape shape, List<String> classNames) {
        List<String> names = List.copyOf(classNames);
        int[] dims = shape.dims();
        StructType schema = new StructType(new StructField[] {
            DataTypes.createStructField(IMAGE, DataTypes.BinaryType, false),
            DataTypes.createStructField(LABEL, DataTypes.IntegerType, false),
            DataTypes.createStructField("path", DataTypes.StringType, false)});
        return files.select("path", "content").orderBy("path").map(
                (org.apache.spark.api.java.function.MapFunction<Row, Row>) r -> decode(r, dims, names),
                org.apache.spark.sql.Encoders.row(schema));
    }

    private static Row decode(Row r, int[] dims, List<String> classNames) throws java.io.IOException {
        String path = r.getString(0);
        String[] parts = path.split("/");
        String folder = parts.length >= 2 ? parts[parts.length - 2] : "";
        int label = classNames.indexOf(folder);
        if (label < 0) {
            throw new IllegalArgumentException(path + ": its folder '" + folder + "' is not a class; expected one of "
                    + classNames);
        }
        org.retina.data.format.ImageFolder.Options o = dims[0] == 1
                ? org.retina.data.format.ImageFolder.Options.gray(dims[1], dims[2])
                : org.retina.data.format.ImageFolder.Options.rgb(dims[1], dims[2]);
        byte[] px = new byte[dims[0] * dims[1] * dims[2]];
        org.retina.data.format.ImageFolder.readInto(path, (byte[]) r.get(1), o, px, 0);
        return RowFactory.create(px, label, path);
    }

    /**
     * An IDX image file and its label file (MNIST's format, raw or gzipped; any path Hadoop's FileSystem reads) as
     * rows of {@code index}, {@code image} and {@code label}, in {@code parts} partitions: each task reads only
     * its own range of records.
     */
    public static org.apache.spark.sql.Dataset<Row> fromIdx(SparkSession spark, String images, String labels,
                                                            int parts) throws java.io.IOException {
        if (parts < 1) {
            throw new IllegalArgumentException("fromIdx: " + parts + " partitions, expected 1 or more");
        }
        return IdxRows.read(spark, images, labels, parts);
    }

    /** Checks that {@code df} has the columns training reads, naming what is missing or of the wrong type. */
    static void check(org.apache.spark.sql.Dataset<Row> df, String what) {
        StructType s = df.schema();
        List<String> names = Arrays.asList(s.fieldNames());
        if (!names.contains(IMAGE) || !names.contains(LABEL)) {
            throw new IllegalArgumentException(what + " DataFrame has columns " + names + ", expected '" + IMAGE
                    + "' (binary or array<float>) and '" + LABEL + "' (int)");
        }
        DataType image = s.apply(IMAGE).dataType();
        if (!(image instanceof BinaryType) && !(image instanceof ArrayType a
                && a.elementType().equals(DataTypes.FloatType))) {
            throw new IllegalArgumentException(what + " DataFrame: column '" + IMAGE + "' is " + image.simpleString()
                    + ", expected binary or array<float>");
        }
        DataType label = s.apply(LABEL).dataType();
        if (!label.equals(DataTypes.IntegerType) && !label.equals(DataTypes.LongType)) {
            throw new IllegalArgumentException(what + " DataFrame: column '" + LABEL + "' is " + label.simpleString()
                    + ", expected int");
        }
        if (names.contains(INDEX) && !s.apply(INDEX).dataType().equals(DataTypes.LongType)) {
            throw new IllegalArgumentException(what + " DataFrame: column '" + INDEX + "' is "
                    + s.apply(INDEX).dataType().simpleString() + ", expected long");
        }
    }

    /** The rows of {@code df} as samples keyed by their set and index. */
    static JavaPairRDD<Tuple2<Boolean, Long>, Sample> keyed(org.apache.spark.sql.Dataset<Row> df, boolean validation) {
        boolean indexed = Arrays.asList(df.schema().fieldNames()).contains(INDEX);
        JavaRDD<Row> rows = (indexed ? df.select(INDEX, IMAGE, LABEL) : df.select(IMAGE, LABEL)).toJavaRDD();
        if (indexed) {
            return rows.mapToPair(r -> new Tuple2<>(new Tuple2<>(validation, r.getLong(0)),
                    sample(validation, r.getLong(0), r, 1)));
        }
        return rows.zipWithIndex().mapToPair(t -> new Tuple2<>(new Tuple2<>(validation, t._2()),
                sample(validation, t._2(), t._1(), 0)));
    }

    private static Sample sample(boolean validation, long index, Row r, int first) {
        Object image = r.get(first);
        int label = ((Number) r.get(first + 1)).intValue();
        if (image instanceof byte[] b) {
            return new Sample(validation, index, label, b, null);
        }
        List<Float> values = r.getList(first);
        float[] f = new float[values.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = values.get(i);
        }
        return new Sample(validation, index, label, null, f);
    }

    /**
     * Sends index range {@code r} of each set (training, validation) to partition {@code r}: partition {@code r}
     * holds what {@link org.retina.parallel.ShardedTraining#partition} gives replica {@code r}.
     */
    static final class Ranges extends Partitioner {
        private final int parts;
        private final long trainSize;
        private final long validationSize;

        Ranges(int parts, long trainSize, long validationSize) {
            this.parts = parts;
            this.trainSize = trainSize;
            this.validationSize = validationSize;
        }

        @Override
        public int numPartitions() {
            return parts;
        }

        @Override
        public int getPartition(Object key) {
            Tuple2<?, ?> k = (Tuple2<?, ?>) key;
            long size = (Boolean) k._1() ? validationSize : trainSize;
            long index = (Long) k._2();
            int r = (int) Math.min(parts - 1, index * parts / Math.max(size, 1));
            // chunk r starts at floor(size * r / parts): step to the chunk whose range holds the index
            while (r > 0 && index < Collective.chunkStart((int) size, parts, r)) {
                r--;
            }
            while (r < parts - 1 && index >= Collective.chunkStart((int) size, parts, r + 1)) {
                r++;
            }
            return r;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Ranges x && x.parts == parts && x.trainSize == trainSize
                    && x.validationSize == validationSize;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(trainSize * 31 + validationSize) * 31 + parts;
        }
    }

    /** A worker's samples of one set, in index order, as a dataset. */
    static Dataset dataset(List<Sample> samples, String name, Shape shape, List<String> classNames) {
        samples.sort(Comparator.comparingLong(Sample::index));
        int per = shape.size();
        int[] labels = new int[samples.size()];
        boolean floats = !samples.isEmpty() && samples.getFirst().floats() != null;
        byte[] bytes = floats ? null : new byte[samples.size() * per];
        float[] values = floats ? new float[samples.size() * per] : null;
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            int len = s.bytes() != null ? s.bytes().length : s.floats().length;
            if (len != per || (s.floats() != null) != floats) {
                throw new IllegalArgumentException(name + ": row " + s.index() + " has " + len + " "
                        + (s.floats() != null ? "float" : "byte") + " pixels, expected " + per + " for samples of "
                        + shape);
            }
            labels[i] = s.label();
            if (floats) {
                System.arraycopy(s.floats(), 0, values, i * per, per);
            } else {
                System.arraycopy(s.bytes(), 0, bytes, i * per, per);
            }
        }
        return floats ? new FloatRows(name, shape, values, labels, classNames)
                : new ByteDataset(name, shape, bytes, labels, classNames);
    }

    /** In-memory float samples, read as they are. */
    private record FloatRows(String name, Shape sampleShape, float[] values, int[] labelArray,
                             List<String> classNames) implements Dataset {
        FloatRows {
            for (int i = 0; i < labelArray.length; i++) {
                if (labelArray[i] < 0 || labelArray[i] >= classNames.size()) {
                    throw new IllegalArgumentException(name + ": label " + labelArray[i] + " at row " + i
                            + ", expected 0.." + (classNames.size() - 1));
                }
            }
        }

        @Override
        public int size() {
            return labelArray.length;
        }

        @Override
        public int label(int i) {
            return labelArray[i];
        }

        @Override
        public void copyPixels(int i, float[] dst, int off) {
            int per = sampleShape.size();
            System.arraycopy(values, i * per, dst, off, per);
        }
    }
}
