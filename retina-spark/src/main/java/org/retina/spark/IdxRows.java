package org.retina.spark;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.retina.data.format.Idx;
import org.retina.parallel.Collective;

/**
 * IDX files (MNIST's format, raw or gzipped) as training rows, each Spark task reading its own range of records
 * from the files through Hadoop's FileSystem: a raw file is read from its range's first byte, a gzipped one is
 * decompressed up to the range and the records before it skipped, never kept.
 */
final class IdxRows {
    private IdxRows() {
    }

    static org.apache.spark.sql.Dataset<Row> read(SparkSession spark, String images, String labels, int parts)
            throws IOException {
        long[] head;
        try (DataInputStream in = open(images)) {
            head = header(in, images, Idx.IMAGES_MAGIC, 3);
        }
        long[] labelHead;
        try (DataInputStream in = open(labels)) {
            labelHead = header(in, labels, Idx.LABELS_MAGIC, 1);
        }
        if (head[0] != labelHead[0]) {
            throw new IllegalArgumentException(images + " holds " + head[0] + " images, " + labels + " holds "
                    + labelHead[0] + " labels; expected as many of each");
        }
        int count = (int) head[0];
        int per = (int) (head[1] * head[2]);
        List<Integer> ranks = new ArrayList<>();
        for (int r = 0; r < parts; r++) {
            ranks.add(r);
        }
        JavaRDD<Row> rows = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(ranks, parts)
                .flatMap(r -> range(images, labels, count, per, Collective.chunkStart(count, parts, r),
                        Collective.chunkStart(count, parts, r + 1)).iterator());
        StructType schema = new StructType(new StructField[] {
            DataTypes.createStructField(SparkData.INDEX, DataTypes.LongType, false),
            DataTypes.createStructField(SparkData.IMAGE, DataTypes.BinaryType, false),
            DataTypes.createStructField(SparkData.LABEL, DataTypes.IntegerType, false)});
        return spark.createDataFrame(rows, schema);
    }

    private static List<Row> range(String images, String labels, int count, int per, int from, int to)
            throws IOException {
        List<Row> out = new ArrayList<>(to - from);
        try (DataInputStream im = open(images); DataInputStream lb = open(labels)) {
            header(im, images, Idx.IMAGES_MAGIC, 3);
            header(lb, labels, Idx.LABELS_MAGIC, 1);
            skip(im, (long) from * per, images);
            skip(lb, from, labels);
            for (int i = from; i < to; i++) {
                byte[] px = new byte[per];
                im.readFully(px);
                out.add(RowFactory.create((long) i, px, lb.readUnsignedByte()));
            }
        } catch (EOFException e) {
            throw new IOException(images + " or " + labels + " ends before record " + to + " of " + count, e);
        }
        return out;
    }

    /** Opens a file any Hadoop file system holds, decompressing it when it starts with the gzip magic. */
    private static DataInputStream open(String file) throws IOException {
        Path p = new Path(file);
        FSDataInputStream raw = p.getFileSystem(new Configuration()).open(p);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.seek(0);
        InputStream in = new BufferedInputStream(raw, 1 << 16);
        return new DataInputStream(b0 == 0x1f && b1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(in,
                1 << 16), 1 << 16) : in);
    }

    /** The dimensions after the magic number: count first. */
    private static long[] header(DataInputStream in, String name, int magic, int dims) throws IOException {
        int m = in.readInt();
        if (m != magic) {
            throw new IOException(name + ": IDX magic 0x" + Integer.toHexString(m) + ", expected 0x"
                    + Integer.toHexString(magic));
        }
        long[] d = new long[dims];
        for (int i = 0; i < dims; i++) {
            d[i] = Integer.toUnsignedLong(in.readInt());
        }
        return d;
    }

    private static void skip(InputStream in, long n, String name) throws IOException {
        long left = n;
        while (left > 0) {
            long k = in.skip(left);
            if (k <= 0) {
                if (in.read() < 0) {
                    throw new EOFException(name + " ends early");
                }
                k = 1;
            }
            left -= k;
        }
    }
}
