package org.retina.data.format;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.retina.data.ByteDataset;
import org.retina.tensor.Shape;

/**
 * IDX files as MNIST ships them: images (magic {@code 0x00000803}, {@code [n, rows, cols]} uint8) and labels
 * ({@code 0x00000801}, {@code [n]} uint8), big-endian, raw or gzipped (detected by the gzip magic). Headers
 * are validated before anything large is allocated.
 */
public final class Idx {
    /** Magic number of uint8 image files, 3 dimensions. */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of uint8 label files, 1 dimension. */
    public static final int LABELS_MAGIC = 0x00000801;
    /** The largest payload one Java array can hold. */
    private static final long MAX_BYTES = Integer.MAX_VALUE - 8;

    private Idx() {
    }

    /** The images of one IDX file: {@code count} images of {@code rows x cols} bytes, row-major. */
    public record Images(int count, int rows, int cols, byte[] pixels) {
        /** Checks that {@code pixels} holds exactly {@code count * rows * cols} bytes. */
        public Images {
            if ((long) count * rows * cols != pixels.length) {
                throw new IllegalArgumentException("Idx.Images: " + pixels.length + " bytes for " + count + " images of "
                        + rows + "x" + cols + ", expected " + (long) count * rows * cols);
            }
        }
    }

    /** Reads an image file, raw or gzipped. */
    public static Images readImages(Path file) throws IOException {
        try (Source s = open(file)) {
            readMagic(s, IMAGES_MAGIC, "images");
            long count = dim(s, "image count", 0);
            long rows = dim(s, "rows", 1);
            long cols = dim(s, "cols", 1);
            long bytes = count * rows * cols;
            if (bytes > MAX_BYTES) {
                throw new IOException(s.name + ": IDX header claims " + count + " images of " + rows + "x" + cols
                        + " = " + bytes + " bytes, expected at most " + MAX_BYTES + " (one Java array)");
            }
            byte[] pixels = payload(s, 16, bytes, count + " images of " + rows + "x" + cols);
            return new Images((int) count, (int) rows, (int) cols, pixels);
        }
    }

    /** Reads a label file, raw or gzipped; values are 0..255. */
    public static int[] readLabels(Path file) throws IOException {
        try (Source s = open(file)) {
            readMagic(s, LABELS_MAGIC, "labels");
            long count = dim(s, "label count", 0);
            byte[] raw = payload(s, 8, count, count + " labels");
            int[] labels = new int[raw.length];
            for (int i = 0; i < raw.length; i++) {
                labels[i] = raw[i] & 0xFF;
            }
            return labels;
        }
    }

    /** Reads an image file and its label file as a {@code (1, rows, cols)} dataset; counts must match. */
    public static ByteDataset read(Path images, Path labels, List<String> classNames) throws IOException {
        int[] y = readLabels(labels);
        Images x = readImages(images);
        if (x.count() != y.length) {
            throw new IOException(images + " holds " + x.count() + " images but " + labels + " holds " + y.length
                    + " labels, expected the same count");
        }
        for (int i = 0; i < y.length; i++) {
            if (y[i] >= classNames.size()) {
                throw new IOException(labels + ": label " + i + " is " + y[i] + ", expected 0.."
                        + (classNames.size() - 1));
            }
        }
        return new ByteDataset(images.toString(), Shape.of(1, x.rows(), x.cols()), x.pixels(), y,
                classNames);
    }

    /** Writes an image file; gzipped when the name ends in {@code .gz}. */
    public static void writeImages(Path file, Images images) throws IOException {
        try (DataOutputStream out = new DataOutputStream(create(file))) {
            out.writeInt(IMAGES_MAGIC);
            out.writeInt(images.count());
            out.writeInt(images.rows());
            out.writeInt(images.cols());
            out.write(images.pixels());
        }
    }

    /** Writes a label file; gzipped when the name ends in {@code .gz}; every label must be 0..255. */
    public static void writeLabels(Path file, int[] labels) throws IOException {
        byte[] raw = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] > 255) {
                throw new IllegalArgumentException(file + ": label " + i + " is " + labels[i] + ", expected 0..255");
            }
            raw[i] = (byte) labels[i];
        }
        try (DataOutputStream out = new DataOutputStream(create(file))) {
            out.writeInt(LABELS_MAGIC);
            out.writeInt(labels.length);
            out.write(raw);
        }
    }

    /** Opens {@code file} for reading, decompressing it when it starts with the gzip magic {@code 1f 8b}. */
    public static InputStream openMaybeGzip(Path file) throws IOException {
        boolean gz = isGzip(file);
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        return gz ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16) : in;
    }

    /** Whether {@code file} starts with the gzip magic {@code 1f 8b}. */
    public static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    private static OutputStream create(Path file) throws IOException {
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        return file.getFileName().toString().endsWith(".gz") ? new GZIPOutputStream(out, 1 << 16) : out;
    }

    /** An open file, its name for messages, and its size when it is raw (-1 when gzipped). */
    private record Source(String name, DataInputStream in, long rawSize) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    private static Source open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such IDX file");
        }
        try {
            long size = isGzip(file) ? -1 : Files.size(file);
            return new Source(file.toString(), new DataInputStream(openMaybeGzip(file)), size);
        } catch (IOException e) {
            throw new IOException(file + ": cannot open the IDX file: " + e.getMessage(), e);
        }
    }

    private static void readMagic(Source s, int expected, String what) throws IOException {
        int magic;
        try {
            magic = s.in.readInt();
        } catch (EOFException e) {
            throw new IOException(s.name + ": IDX file is truncated: shorter than its 4-byte magic number");
        } catch (IOException e) {
            throw new IOException(s.name + ": cannot read the IDX header: " + e.getMessage(), e);
        }
        if (magic != expected) {
            throw new IOException(s.name + ": IDX magic number is " + hex(magic) + describe(magic) + ", expected "
                    + hex(expected) + " (uint8 " + what + ")");
        }
    }

    private static String describe(int magic) {
        if (magic == IMAGES_MAGIC) {
            return " (uint8 images)";
        }
        if (magic == LABELS_MAGIC) {
            return " (uint8 labels)";
        }
        return (magic >>> 16) == 0 ? " (element type " + String.format("0x%02X", magic >>> 8 & 0xFF) + ", " + (magic & 0xFF)
                + " dimensions)" : " (not an IDX file)";
    }

    private static long dim(Source s, String field, int min) throws IOException {
        long v;
        try {
            v = Integer.toUnsignedLong(s.in.readInt());
        } catch (EOFException e) {
            throw new IOException(s.name + ": IDX header is truncated before the " + field);
        }
        if (v > Integer.MAX_VALUE) {
            throw new IOException(s.name + ": IDX header field " + field + " is " + v + " (" + (int) v
                    + " as a signed int), expected " + min + " to " + Integer.MAX_VALUE);
        }
        if (v < min) {
            throw new IOException(s.name + ": IDX header field " + field + " is " + v + ", expected >= " + min);
        }
        return v;
    }

    /** Reads exactly {@code bytes} of payload, checking the file holds no more and no less. */
    private static byte[] payload(Source s, int headerBytes, long bytes, String what) throws IOException {
        if (s.rawSize >= 0 && s.rawSize != headerBytes + bytes) {
            throw new IOException(s.name + ": IDX header promises " + what + " = " + (headerBytes + bytes)
                    + " bytes with the header, the file holds " + s.rawSize);
        }
        // readNBytes grows its buffer as data arrives, so a lying gzipped header cannot force a huge allocation
        byte[] data;
        try {
            data = s.in.readNBytes((int) bytes);
        } catch (EOFException e) {
            throw new IOException(s.name + ": IDX file is truncated: the gzip stream ends before the " + bytes
                    + " data bytes the header promises (" + what + ")", e);
        } catch (IOException e) {
            throw new IOException(s.name + ": cannot read the IDX data (" + what + "): " + e.getMessage(), e);
        }
        if (data.length != bytes) {
            throw new IOException(s.name + ": IDX file is truncated: the header promises " + what + " = " + bytes
                    + " data bytes, the file holds " + data.length);
        }
        if (s.in.read() != -1) {
            throw new IOException(s.name + ": IDX file holds more data than its header promises (" + what + " = "
                    + bytes + " bytes)");
        }
        return data;
    }

    private static String hex(int v) {
        return String.format("0x%08X", v);
    }
}
