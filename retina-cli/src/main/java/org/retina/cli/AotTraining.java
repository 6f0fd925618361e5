package org.retina.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.retina.data.format.Idx;
import org.retina.viz.Png;

/**
 * The run a start-up cache is recorded from ({@code java -XX:AOTCacheOutput=...}, JDK 25): what a user's first
 * commands do, in a temporary folder and without the network or the dataset store. It trains the default network
 * for one epoch on Fashion-MNIST-shaped synthetic images, evaluates it and predicts one image, all through
 * {@link Main#execute}. The JVM keeps the classes this loaded and linked and the profiles of the methods it ran, so a
 * later process starts with them instead of finding them again. The launcher runs it after each build.
 */
public final class AotTraining {
    /** Training images: enough steps for the kernels' profiles to settle (about 200 batches of 64). */
    private static final int TRAIN = 12_800;
    private static final int TEST = 2_000;

    private AotTraining() {
    }

    /** Runs the commands and exits with the first non-zero code of them, or 0. */
    public static void main(String[] args) throws IOException {
        System.exit(run());
    }

    /** Trains, evaluates and predicts in a temporary folder, deleted after; the first non-zero exit code, or 0. */
    static int run() throws IOException {
        Path dir = Files.createTempDirectory("retina-aot");
        int code;
        try {
            Path data = dir.resolve("fashion-mnist");
            write(data, "train", TRAIN, 1);
            write(data, "t10k", TEST, 2);
            Path run = dir.resolve("run");
            Path image = dir.resolve("image.png");
            BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            img.getRaster().setDataElements(0, 0, 28, 28, sample(3, 7));
            Png.write(img, image);
            code = Main.execute("train", "--data", data.toString(), "--epochs", "1", "--validation", "1000",
                    "--out", run.toString());
            if (code == 0) {
                code = Main.execute("evaluate", "--model", run.resolve("best.retina").toString(), "--data",
                        data.toString());
            }
            if (code == 0) {
                code = Main.execute("predict", "--model", run.resolve("best.retina").toString(), image.toString());
            }
        } finally {
            delete(dir);
        }
        return code;
    }

    /** IDX files of {@code n} images whose class decides where a bright bar lies, plus noise. */
    private static void write(Path dir, String prefix, int n, long seed) throws IOException {
        Files.createDirectories(dir);
        byte[] pixels = new byte[n * 28 * 28];
        int[] labels = new int[n];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            labels[i] = rng.nextInt(10);
            System.arraycopy(sample(labels[i], rng.nextLong()), 0, pixels, i * 28 * 28, 28 * 28);
        }
        Idx.writeImages(dir.resolve(prefix + "-images-idx3-ubyte.gz"), new Idx.Images(n, 28, 28, pixels));
        Idx.writeLabels(dir.resolve(prefix + "-labels-idx1-ubyte.gz"), labels);
    }

    private static byte[] sample(int label, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        byte[] p = new byte[28 * 28];
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                boolean bar = Math.abs(y - (3 + 2 * label)) <= 1;
                p[y * 28 + x] = (byte) Math.min(255, (bar ? 200 : 0) + rng.nextInt(56));
            }
        }
        return p;
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
