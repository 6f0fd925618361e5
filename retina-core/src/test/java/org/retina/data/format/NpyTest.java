package org.retina.data.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/** {@code .npy} round trips of the written types with their shapes, and clear errors for damaged headers. */
class NpyTest {

    private interface Writer {
        void write(ByteArrayOutputStream out) throws IOException;
    }

    private static byte[] bytes(Writer w) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        w.write(out);
        return out.toByteArray();
    }

    private static Npy.Array read(byte[] b) throws IOException {
        return Npy.read(new ByteArrayInputStream(b), "a.npy", b.length);
    }

    @Test
    void float32RoundTrip() throws IOException {
        Tensor t = Tensor.of(new float[] {1.5f, -2f, Float.MIN_VALUE, 3e38f, 0f, -0f}, 2, 1, 3);
        Npy.Array a = read(bytes(out -> Npy.write(out, t)));
        assertEquals(Npy.Dtype.FLOAT32, a.dtype());
        assertArrayEquals(new int[] {2, 1, 3}, a.shape());
        assertArrayEquals(t.data(), a.toTensor().data());
        // header padded so that the data starts at a multiple of 64, as numpy writes it
        byte[] b = bytes(out -> Npy.write(out, t));
        assertEquals(0, (b.length - 6 * 4) % 64);
    }

    @Test
    void float64Int64Uint8RoundTrip() throws IOException {
        double[] d = {Math.PI, -1e300, 0.1};
        Npy.Array a = read(bytes(out -> Npy.writeDoubles(out, new int[] {3}, d)));
        assertEquals(Npy.Dtype.FLOAT64, a.dtype());
        assertArrayEquals(new int[] {3}, a.shape());
        for (int i = 0; i < d.length; i++) {
            assertEquals(d[i], a.get(i));
        }
        long[] l = {Long.MIN_VALUE + 1, 7, -3, 1L << 40};
        Npy.Array b = read(bytes(out -> Npy.writeLongs(out, new int[] {2, 2}, l)));
        assertEquals(Npy.Dtype.INT64, b.dtype());
        assertArrayEquals(new int[] {2, 2}, b.shape());
        assertEquals(1L << 40, b.data().getLong(24));
        assertEquals(Long.MIN_VALUE + 1, b.data().getLong(0));
        byte[] u = {0, 1, (byte) 200, (byte) 255};
        Npy.Array c = read(bytes(out -> Npy.writeBytes(out, new int[] {4, 1}, u)));
        assertEquals(Npy.Dtype.UINT8, c.dtype());
        assertArrayEquals(new int[] {4, 1}, c.shape());
        assertArrayEquals(new int[] {0, 1, 200, 255}, c.toInts("labels"));
    }

    @Test
    void scalarAndEmptyShapes() throws IOException {
        Npy.Array s = read(bytes(out -> Npy.writeDoubles(out, new int[0], new double[] {2.5})));
        assertArrayEquals(new int[0], s.shape());
        assertEquals(2.5, s.get(0));
        Npy.Array e = read(bytes(out -> Npy.write(out, Tensor.zeros(Shape.of(0, 3)))));
        assertArrayEquals(new int[] {0, 3}, e.shape());
    }

    @Test
    void writeChecksTheShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> bytes(out -> Npy.writeLongs(out, new int[] {2, 3}, new long[5])));
        assertTrue(e.getMessage().contains("shape [2, 3] does not match 5 values"), e.getMessage());
    }

    private static String damaged(byte[] b) {
        return assertThrows(IOException.class, () -> read(b)).getMessage();
    }

    private static byte[] withHeader(String dict, int dataBytes) {
        String header = dict + " ".repeat(Math.max(0, 117 - dict.length())) + "\n";
        byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
        byte[] b = new byte[10 + h.length + dataBytes];
        b[0] = (byte) 0x93;
        System.arraycopy("NUMPY".getBytes(StandardCharsets.US_ASCII), 0, b, 1, 5);
        b[6] = 1;
        b[8] = (byte) h.length;
        System.arraycopy(h, 0, b, 10, h.length);
        return b;
    }

    @Test
    void damagedHeadersAreNamed() throws IOException {
        byte[] good = bytes(out -> Npy.write(out, Tensor.zeros(2, 3)));
        assertTrue(damaged(Arrays.copyOf(good, 4)).contains("a.npy: not a .npy file (shorter than the 6-byte magic)"));
        byte[] magic = good.clone();
        magic[1] = 'X';
        assertTrue(damaged(magic).contains("not a .npy file (the first bytes are not \\x93NUMPY)"));
        byte[] version = good.clone();
        version[6] = 9;
        assertTrue(damaged(version).contains(".npy format version 9, expected 1, 2 or 3"));
        assertTrue(damaged(Arrays.copyOf(good, good.length - 4)).contains("needs 24 data bytes, the file holds 20"));
        assertTrue(damaged(withHeader("{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }", 16))
                .contains("dtype '<c8' is not supported"));
        assertTrue(damaged(withHeader("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", 16))
                .contains("Fortran order"));
        assertTrue(damaged(withHeader("{'descr': '<f4', 'fortran_order': False, }", 16))
                .contains("header has no valid 'shape' entry"));
        assertTrue(damaged(withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }", 8))
                .contains("shape '2, x' is not a tuple of whole numbers"));
    }
}
