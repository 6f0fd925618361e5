package org.retina.data.format;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * NumPy {@code .npy} files (format 1.0 to 3.0, C order): float32, float64, int64, int32, int16, int8, uint8
 * and bool, read into float tensors or int labels and written as float32, float64, int64 or uint8.
 * The header is checked against the file size before anything large is allocated.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int MAX_HEADER = 1 << 20;

    private Npy() {
    }

    /** An element type: its {@code descr} without byte order, and its size in bytes. */
    public enum Dtype {
        /** 32-bit float, {@code f4}. */
        FLOAT32("f4", 4),
        /** 64-bit float, {@code f8}. */
        FLOAT64("f8", 8),
        /** 64-bit signed integer, {@code i8}. */
        INT64("i8", 8),
        /** 32-bit signed integer, {@code i4}. */
        INT32("i4", 4),
        /** 16-bit signed integer, {@code i2}. */
        INT16("i2", 2),
        /** 8-bit signed integer, {@code i1}. */
        INT8("i1", 1),
        /** 8-bit unsigned integer, {@code u1}. */
        UINT8("u1", 1),
        /** Boolean, one byte, {@code b1}. */
        BOOL("b1", 1);

        final String code;
        final int bytes;

        Dtype(String code, int bytes) {
            this.code = code;
            this.bytes = bytes;
        }

        /** The NumPy {@code descr} as written: little-endian ({@code <f4}) or, for one-byte types, {@code |u1}. */
        public String descr() {
            return (bytes == 1 ? "|" : "<") + code;
        }
    }

    /** A parsed array: element type, byte order, shape and the raw bytes. */
    public record Array(Dtype dtype, ByteOrder order, int[] shape, ByteBuffer data) {
        /** The number of elements, the product of the shape. */
        public int size() {
            return Shape.of(shape).size();
        }

        /** Element {@code i} as a double, whatever the dtype. */
        public double get(int i) {
            return switch (dtype) {
                case FLOAT32 -> data.getFloat(i * 4);
                case FLOAT64 -> data.getDouble(i * 8);
                case INT64 -> data.getLong(i * 8);
                case INT32 -> data.getInt(i * 4);
                case INT16 -> data.getShort(i * 2);
                case INT8, BOOL -> data.get(i);
                case UINT8 -> data.get(i) & 0xFF;
            };
        }

        /** The values as a float32 tensor of the same shape. */
        public Tensor toTensor() {
            float[] f = new float[size()];
            if (dtype == Dtype.FLOAT32) {
                data.asFloatBuffer().get(f);
            } else {
                for (int i = 0; i < f.length; i++) {
                    f[i] = (float) get(i);
                }
            }
            return Tensor.wrap(f, Shape.of(shape));
        }

        /** Integer values (labels), checked to be whole numbers in int range. */
        public int[] toInts(String what) {
            int[] r = new int[size()];
            for (int i = 0; i < r.length; i++) {
                double v = get(i);
                if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException(what + ": element " + i + " is " + v
                            + ", expected a whole number");
                }
                r[i] = (int) v;
            }
            return r;
        }
    }

    /** Reads one array from a {@code .npy} file, checking the header against the file size. */
    public static Array read(Path file) throws IOException {
        long size = Files.size(file);
        try (InputStream in = Files.newInputStream(file)) {
            return read(new java.io.BufferedInputStream(in), file.toString(), size);
        }
    }

    /** Reads a {@code .npy} file as a float32 tensor of the same shape. */
    public static Tensor readTensor(Path file) throws IOException {
        return read(file).toTensor();
    }

    /**
     * Reads one array from a stream. {@code totalBytes}, when known (>= 0), must equal header plus data exactly.
     */
    public static Array read(InputStream stream, String name, long totalBytes) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        byte[] magic = new byte[6];
        try {
            in.readFully(magic);
        } catch (EOFException e) {
            throw new IOException(name + ": not a .npy file (shorter than the 6-byte magic)");
        }
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IOException(name + ": not a .npy file (the first bytes are not \\x93NUMPY)");
        }
        int major;
        long headerLen;
        int prefix;
        try {
            major = in.readUnsignedByte();
            in.readUnsignedByte();
            if (major == 1) {
                headerLen = Short.toUnsignedInt(Short.reverseBytes(in.readShort()));
                prefix = 10;
            } else if (major == 2 || major == 3) {
                headerLen = Integer.toUnsignedLong(Integer.reverseBytes(in.readInt()));
                prefix = 12;
            } else {
                throw new IOException(name + ": .npy format version " + major + ", expected 1, 2 or 3");
            }
        } catch (EOFException e) {
            throw new IOException(name + ": .npy file ends inside its version and header length");
        }
        if (headerLen > MAX_HEADER || (totalBytes >= 0 && prefix + headerLen > totalBytes)) {
            throw new IOException(name + ": .npy header claims " + headerLen + " bytes, more than the file holds");
        }
        byte[] hb = new byte[(int) headerLen];
        try {
            in.readFully(hb);
        } catch (EOFException e) {
            throw new IOException(name + ": .npy header is truncated");
        }
        String header = new String(hb, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = field(header, "descr", "'([<>|=]?)([a-z]\\d+)'", name);
        Dtype dtype = null;
        String code = descr.substring(1, descr.length() - 1);
        String kind = code.replaceAll("^[<>|=]", "");
        for (Dtype d : Dtype.values()) {
            if (d.code.equals(kind)) {
                dtype = d;
            }
        }
        if (dtype == null) {
            throw new IOException(name + ": .npy dtype '" + code + "' is not supported; expected one of float32 (<f4),"
                    + " float64 (<f8), int64 (<i8), int32 (<i4), int16, int8, uint8 (|u1) or bool");
        }
        ByteOrder order = code.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        String fortran = field(header, "fortran_order", "(True|False)", name);
        if (fortran.equals("True")) {
            throw new IOException(name + ": .npy array is in Fortran order; save it in C order"
                    + " (numpy.ascontiguousarray) and try again");
        }
        String shapeText = field(header, "shape", "\\(([^)]*)\\)", name);
        int[] shape = parseShape(shapeText, name);
        long count = 1;
        for (int d : shape) {
            count *= d;
            if (count > Integer.MAX_VALUE) {
                throw new IOException(name + ": .npy shape " + Arrays.toString(shape) + " has more than "
                        + Integer.MAX_VALUE + " elements");
            }
        }
        long dataBytes = count * dtype.bytes;
        if (totalBytes >= 0 && prefix + headerLen + dataBytes != totalBytes) {
            throw new IOException(name + ": .npy shape " + Arrays.toString(shape) + " of " + dtype.descr() + " needs "
                    + dataBytes + " data bytes, the file holds " + (totalBytes - prefix - headerLen));
        }
        if (dataBytes > Integer.MAX_VALUE - 16) {
            throw new IOException(name + ": .npy data of " + dataBytes + " bytes is too large to load");
        }
        byte[] data = new byte[(int) dataBytes];
        try {
            in.readFully(data);
        } catch (EOFException e) {
            throw new IOException(name + ": .npy data is truncated: the header promises " + dataBytes + " bytes");
        }
        return new Array(dtype, order, shape, ByteBuffer.wrap(data).order(order));
    }

    private static String field(String header, String key, String valuePattern, String name) throws IOException {
        Matcher m = Pattern.compile("'" + key + "'\\s*:\\s*" + valuePattern).matcher(header);
        if (!m.find()) {
            throw new IOException(name + ": .npy header has no valid '" + key + "' entry: " + header.trim());
        }
        String match = m.group();
        return match.substring(match.indexOf(':') + 1).trim();
    }

    private static int[] parseShape(String text, String name) throws IOException {
        String inner = text.substring(text.indexOf('(') + 1, text.lastIndexOf(')'));
        List<Integer> dims = new ArrayList<>();
        for (String part : inner.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            try {
                long d = Long.parseLong(p.replace("L", ""));
                if (d < 0 || d > Integer.MAX_VALUE) {
                    throw new IOException(name + ": .npy shape dimension " + d + ", expected 0 to "
                            + Integer.MAX_VALUE);
                }
                dims.add((int) d);
            } catch (NumberFormatException e) {
                throw new IOException(name + ": .npy shape '" + inner + "' is not a tuple of whole numbers");
            }
        }
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Writes a float32 array. */
    public static void write(OutputStream out, Tensor t) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(t.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(t.data());
        write(out, Dtype.FLOAT32, t.dims(), b.array());
    }

    /** Writes an int64 array. */
    public static void writeLongs(OutputStream out, int[] shape, long[] values) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        write(out, Dtype.INT64, shape, b.array());
    }

    /** Writes a float64 array. */
    public static void writeDoubles(OutputStream out, int[] shape, double[] values) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(values);
        write(out, Dtype.FLOAT64, shape, b.array());
    }

    /** Writes a uint8 array. */
    public static void writeBytes(OutputStream out, int[] shape, byte[] values) throws IOException {
        write(out, Dtype.UINT8, shape, values);
    }

    private static void write(OutputStream out, Dtype dtype, int[] shape, byte[] data) throws IOException {
        if (Shape.of(shape).size() * (long) dtype.bytes != data.length) {
            throw new IllegalArgumentException("Npy.write: shape " + Arrays.toString(shape) + " does not match "
                    + data.length / dtype.bytes + " values");
        }
        StringBuilder sh = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sh.append(shape[i]).append(shape.length == 1 || i < shape.length - 1 ? "," : "");
            if (i < shape.length - 1) {
                sh.append(' ');
            }
        }
        sh.append(')');
        String dict = "{'descr': '" + dtype.descr() + "', 'fortran_order': False, 'shape': " + sh + ", }";
        int total = 10 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        head.write(MAGIC);
        head.write(1);
        head.write(0);
        head.write(header.length() & 0xFF);
        head.write(header.length() >>> 8);
        head.write(header.getBytes(StandardCharsets.ISO_8859_1));
        out.write(head.toByteArray());
        out.write(data);
    }
}
