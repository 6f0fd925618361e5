package org.retina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.retina.data.Dataset;
import org.retina.data.DatasetStore;
import org.retina.io.Json;
import org.retina.testing.TestData;

/** The {@code retina} command in a temporary folder: train, evaluate, predict, summary, and bad input. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliIT {
    @TempDir
    static Path dir;
    static Path mnist;

    /** What a run printed and returned. */
    record Run(int code, String out, String err) {
    }

    @BeforeAll
    static void data() {
        mnist = TestData.dataset("mnist");
    }

    static synchronized Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    @Order(1)
    void trainEvaluatePredict() throws IOException {
        Path runDir = dir.resolve("run");
        Path report = dir.resolve("report.json");
        Run r = run("train", "--dataset", "mnist", "--data", mnist.toString(), "--epochs", "1", "--subset", "6000",
                "--validation", "1000", "--out", runDir.toString(), "--report", report.toString(), "--threads", "2");
        System.out.println(r.out());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Total params"), "prints the summary");
        assertTrue(r.out().contains("Test accuracy"), r.out());
        Map<String, Object> rep = Json.parseObject(Files.readString(report));
        double acc = ((Number) rep.get("test_accuracy")).doubleValue();
        // 5,000 MNIST images, one epoch of the fashion-cnn network: well above 90% when training works
        assertTrue(acc > 0.9, "test accuracy " + acc);
        for (String key : new String[] {"test_loss", "epochs", "wall_seconds", "train_images_per_second", "per_epoch"}) {
            assertTrue(rep.containsKey(key), "report has " + key);
        }
        assertTrue(Files.exists(runDir.resolve("best.retina")));
        assertTrue(Files.exists(runDir.resolve("metrics.csv")));

        Run ev = run("evaluate", "--model", runDir.resolve("best.retina").toString(), "--data", mnist.toString());
        assertEquals(0, ev.code(), ev.err());
        assertTrue(ev.out().contains("confusion matrix"), ev.out());

        Dataset test = DatasetStore.open("mnist", DatasetStore.Split.TEST, mnist);
        Path png = dir.resolve("digit.png");
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        float[] px = new float[28 * 28];
        test.copyPixels(0, px, 0);
        for (int i = 0; i < px.length; i++) {
            img.getRaster().setSample(i % 28, i / 28, 0, Math.round(px[i] * 255));
        }
        ImageIO.write(img, "png", png.toFile());
        Run p = run("predict", "--model", runDir.resolve("best.retina").toString(), png.toString());
        assertEquals(0, p.code(), p.err());
        String first = p.out().substring(p.out().indexOf(':') + 1).trim().split(" ")[0];
        assertEquals(Integer.toString(test.label(0)), first, "top class of the first test digit: " + p.out());

        // an image of another size or colour is an error that names both, unless --resize asks for the conversion
        Path big = dir.resolve("big.png");
        BufferedImage colour = new BufferedImage(56, 42, BufferedImage.TYPE_INT_RGB);
        colour.createGraphics().drawImage(img, 0, 0, 56, 42, null);
        ImageIO.write(colour, "png", big.toFile());
        assertBad(run("predict", "--model", runDir.resolve("best.retina").toString(), big.toString()),
                big + " is a 56x42 colour image; the model reads 28x28 grey images: pass --resize");
        Run resized = run("predict", "--resize", "--model", runDir.resolve("best.retina").toString(), big.toString());
        assertEquals(0, resized.code(), resized.err());
        assertTrue(resized.out().startsWith(big + ":"), resized.out());
    }

    @Test
    @Order(2)
    void summaryOfAZooModel() {
        Run r = run("summary", "--model", "alexnet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("62,378,344"), r.out());
    }

    @Test
    @Order(3)
    void cifarCnnTrainsOnCifar10BinaryFiles() throws IOException {
        Path cifar = dir.resolve("cifar-10-batches-bin");
        Files.createDirectories(cifar);
        org.retina.tensor.Rng rng = new org.retina.tensor.Rng(3);
        for (String f : new String[] {"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
            "data_batch_5.bin", "test_batch.bin"}) {
            int n = 40;
            int[] labels = new int[n];
            byte[] pixels = new byte[n * org.retina.data.format.Cifar10.PIXELS];
            for (int i = 0; i < n; i++) {
                labels[i] = i % 10;
                for (int k = 0; k < org.retina.data.format.Cifar10.PIXELS; k++) {
                    pixels[i * org.retina.data.format.Cifar10.PIXELS + k] = (byte) rng.nextInt(256);
                }
            }
            org.retina.data.format.Cifar10.write(cifar.resolve(f), labels, pixels);
        }
        Run r = run("train", "--model", "cifar-cnn", "--dataset", "cifar10", "--data", dir.toString(), "--epochs",
                "1", "--validation", "20", "--augment", "--out", dir.resolve("cifar-run").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("528,054"), "the CIFAR net's summary: " + r.out());
        assertTrue(r.out().contains("Training on 180 images, validating on 20, testing on 40"), r.out());
    }

    @Test
    @Order(4)
    void badInputGivesOneLineAndExitCodeTwo() throws IOException {
        assertBad(run("train", "--model", "no-such-net", "--data", mnist.toString(), "--dataset", "mnist"),
                "unknown model 'no-such-net'");
        assertBad(run("train", "--dataset", "mnist", "--data", dir.resolve("nowhere").toString()), "not found");
        assertBad(run("train", "--no-such-option"), "Unknown option");
        assertBad(run("train", "--dataset", "imagenet"), "imagenet");
        assertBad(run("train", "--device", "tpu", "--dataset", "mnist", "--data", mnist.toString()),
                "device 'tpu' is unknown");
        Path corrupt = dir.resolve("corrupt");
        Files.createDirectories(corrupt);
        for (String split : new String[] {"train", "t10k"}) {
            // valid labels for one image, then an image file whose header promises 1 image of 28x28 but stops
            Files.write(corrupt.resolve(split + "-labels-idx1-ubyte"), new byte[] {0, 0, 8, 1, 0, 0, 0, 1, 5});
            Files.write(corrupt.resolve(split + "-images-idx3-ubyte"),
                    new byte[] {0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3});
        }
        assertBad(run("train", "--dataset", "mnist", "--data", corrupt.toString()), "train-images-idx3-ubyte");
        assertBad(run("predict", "--model", dir.resolve("missing.retina").toString(), "x.png"), "missing.retina");
        assertBad(run("train", "--model", "cifar-cnn", "--dataset", "mnist", "--data", mnist.toString(), "--out",
                dir.resolve("cifar").toString()), "the model expects (3, 32, 32)");
        assertBad(run("train", "--epochs", "0"), "--epochs 0: expected a whole number from 1 to");
        assertBad(run("train", "--batch-size", "-5"), "--batch-size -5: expected a whole number from 1 to");
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        assertBad(run("train", "--dataset", "mnist", "--data", mnist.toString(), "--out", file.toString()),
                "--out " + file + " is an existing file, not a folder");
        // a folder that cannot be made (its parent is a file): refused before any data is read
        Path nowhere = file.resolve("sub");
        assertBad(run("train", "--dataset", "mnist", "--data", dir.resolve("no-data").toString(), "--out",
                nowhere.toString()), "--out " + nowhere + ": cannot write into that folder");
        assertBad(run("train", "--dataset", "mnist", "--data", dir.resolve("no-data").toString(), "--report",
                nowhere.resolve("r.json").toString()), "cannot write into its folder");
        assertBad(run("fetch", "cifar10", "--archive", file.toString(), "--data", dir.resolve("store").toString()),
                "expected c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd");
        assertBad(run("fetch", "mnist", "--archive", file.toString()), "comes as four IDX files");
    }

    /** Without a GPU, {@code --device cuda} stops before training with the one line that names what is missing. */
    @Test
    void cudaDeviceWorksOrSaysWhatIsMissing() throws IOException {
        Path dir = Files.createTempDirectory("retina-cuda-cli");
        Run r = run("train", "--device", "cuda", "--dataset", "mnist", "--data", mnist.toString(), "--epochs", "1",
                "--subset", "600", "--validation", "100", "--out", dir.resolve("run").toString());
        if (r.code() == 2) {
            assertBad(r, "device 'cuda' cannot be used: ");
            assertFalse(Files.exists(dir.resolve("run").resolve("last.retina")), "nothing trained");
        } else {
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("Test accuracy"), r.out());
        }
    }

    private static void assertBad(Run r, String fragment) {
        assertEquals(2, r.code(), "exit code; stderr: " + r.err() + " stdout: " + r.out());
        String err = r.err().strip();
        assertTrue(err.contains(fragment), "message '" + err + "' lacks '" + fragment + "'");
        assertFalse(err.contains("\tat "), "no stack trace without --verbose: " + err);
    }
}
