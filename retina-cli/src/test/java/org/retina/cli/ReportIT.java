package org.retina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.retina.data.Dataset;
import org.retina.data.DatasetStore;
import org.retina.data.Datasets;
import org.retina.io.Json;
import org.retina.io.ModelFile;
import org.retina.loss.SoftmaxCrossEntropy;
import org.retina.model.Model;
import org.retina.optim.Adam;
import org.retina.train.EpochResult;
import org.retina.train.Trainer;
import org.retina.testing.TestData;
import org.retina.viz.EventFile;

/**
 * The pictures end to end on MNIST: train writes run.json and the report, the report and features commands, and
 * the page, finished and live, opened in headless Chromium without an error, a broken image or a blank screen.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReportIT {
    @TempDir
    static Path dir;
    static Path mnist;
    static Path runDir;

    @BeforeAll
    static void data() {
        mnist = TestData.dataset("mnist");
        runDir = dir.resolve("run");
    }

    private static List<Path> pngs() throws IOException {
        try (Stream<Path> s = Files.list(runDir)) {
            return s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
        }
    }

    /** Decodes a PNG and checks it is drawn on: many colours, and not one colour over nearly all of it. */
    static BufferedImage decodeDrawn(byte[] png, String what) throws IOException {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertNotNull(img, what + " does not decode");
        Set<Integer> colours = new HashSet<>();
        int corner = img.getRGB(0, 0);
        long same = 0;
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                int rgb = img.getRGB(x, y);
                colours.add(rgb);
                same += rgb == corner ? 1 : 0;
            }
        }
        long sampled = (long) ((img.getHeight() + 1) / 2) * ((img.getWidth() + 1) / 2);
        assertTrue(colours.size() > 30 && same < 0.97 * sampled, what + " looks blank: " + colours.size()
                + " colours, " + same + " of " + sampled + " sampled pixels like the corner");
        return img;
    }

    @Test
    @Order(1)
    void trainWritesRunJsonTheReportAndItsPictures() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        CliIT.Run[] result = new CliIT.Run[1];
        Thread training = new Thread(() -> result[0] = CliIT.run("train", "--dataset", "mnist", "--data",
                mnist.toString(), "--epochs", "2", "--subset", "1500", "--validation", "300", "--out",
                runDir.toString(), "--threads", "2", "--serve", Integer.toString(port), "--tensorboard",
                dir.resolve("tb").toString()));
        training.start();
        // after training the command keeps serving the final report until it is stopped
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        String page = "";
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!(Files.exists(runDir.resolve("report.html")) && page.contains("Test set")
                && !page.contains("class=\"live\"")) && System.nanoTime() < deadline) {
            Thread.sleep(300);
            try {
                page = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port
                        + "/")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            } catch (IOException notYet) {
                // the server starts with the training
            }
        }
        assertTrue(page.contains("Test set") && !page.contains("class=\"live\""), "the final report is served");
        Thread.sleep(1500);
        assertTrue(training.isAlive(), "still serving after training ended");
        assertTrue(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port
                + "/")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body().contains("Grad-CAM"),
                "the final page is still served, Grad-CAM figure included");
        training.interrupt(); // what Ctrl-C is to a user
        training.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(training.isAlive(), "stops when interrupted");
        CliIT.Run r = result[0];
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Live report at http://localhost:"), r.out());
        assertTrue(r.out().contains("the final report stays at http://localhost:" + port + "/ until you stop"),
                r.out());
        assertEquals(1 + 2 * 19, Files.readString(runDir.resolve("steps.csv")).lines().count(),
                "a header and every step of two epochs of 1,200 images in batches of 64 (19 a epoch)");
        List<EventFile.Event> events;
        try (Stream<Path> s = Files.list(dir.resolve("tb"))) {
            events = EventFile.read(s.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents."))
                    .findFirst().orElseThrow());
        }
        assertEquals(2 * 19, events.stream().flatMap(e -> e.values().stream())
                .filter(v -> v.tag().equals("train/loss")).count(), "a loss per step in the TensorBoard events");
        assertTrue(r.out().contains("Report written to " + runDir.resolve("report.html")), r.out());
        Map<String, Object> run = Json.parseObject(Files.readString(runDir.resolve("run.json")));
        @SuppressWarnings("unchecked")
        Map<String, Object> settings = (Map<String, Object>) run.get("settings");
        @SuppressWarnings("unchecked")
        Map<String, Object> timings = (Map<String, Object>) run.get("timings");
        assertTrue(((String) settings.get("command")).startsWith("retina train --dataset mnist"), settings.toString());
        assertEquals(1200L, settings.get("training_images"));
        assertEquals(2L, settings.get("epochs"));
        assertTrue(((Number) timings.get("training_seconds")).doubleValue() > 0, timings.toString());
        List<String> names = pngs().stream().map(p -> p.getFileName().toString()).toList();
        assertTrue(names.containsAll(List.of("training-curves.png", "confusion-matrix.png", "predictions.png",
                "grad-cam.png", "filters.png", "feature-maps-conv1.png", "feature-maps-conv2.png")), names.toString());
        @SuppressWarnings("unchecked")
        Map<String, Object> results = (Map<String, Object>) Json.parseObject(Files.readString(
                runDir.resolve("run.json"))).get("results");
        assertTrue(((Number) results.get("test_accuracy")).doubleValue() > 0.8, "run.json keeps the results: "
                + results);
        for (Path p : pngs()) {
            decodeDrawn(Files.readAllBytes(p), p.getFileName().toString());
        }
        String html = Files.readString(runDir.resolve("report.html"));
        assertEquals(pngs().size(), html.split("src=\"data:image/png;base64,", -1).length - 1);
    }

    @Test
    @Order(2)
    void reportRedrawsARunFromItsFolder() throws IOException {
        for (Path p : pngs()) {
            Files.delete(p);
        }
        Files.delete(runDir.resolve("report.html"));
        CliIT.Run r = CliIT.run("report", "--run", runDir.toString(), "--data", mnist.toString(), "--threads", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Report written to " + runDir.resolve("report.html")), r.out());
        assertTrue(pngs().size() >= 6, pngs().toString());
        String html = Files.readString(runDir.resolve("report.html"));
        assertTrue(html.contains("<title>Retina: fashion-cnn on mnist</title>"), "titled from run.json");
        assertTrue(html.contains("<th>training images</th><td>1,200</td>"), "hyper-parameters from run.json");
        assertTrue(html.contains("<th>training seconds</th>"), "timings from run.json");
        assertTrue(html.contains("test accuracy"), "evaluated on the test set");
    }

    @Test
    @Order(3)
    void featuresDrawsOneLayerAndBadInputIsNamed() throws IOException {
        Dataset test = DatasetStore.open("mnist", DatasetStore.Split.TEST, mnist);
        BufferedImage digit = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        float[] px = new float[28 * 28];
        test.copyPixels(0, px, 0);
        for (int i = 0; i < px.length; i++) {
            digit.getRaster().setSample(i % 28, i / 28, 0, Math.round(px[i] * 255));
        }
        Path image = dir.resolve("digit.png");
        ImageIO.write(digit, "png", image.toFile());
        Path maps = dir.resolve("maps.png");
        String model = runDir.resolve("best.retina").toString();
        CliIT.Run r = CliIT.run("features", "--model", model, "--image", image.toString(), "--layer", "relu2",
                "--out", maps.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("32 feature maps of relu2 (14x14)"), r.out());
        BufferedImage img = decodeDrawn(Files.readAllBytes(maps), "maps.png");
        assertTrue(img.getWidth() > 500 && img.getHeight() > 300, img.getWidth() + "x" + img.getHeight());

        CliIT.Run fc = CliIT.run("features", "--model", model, "--image", image.toString(), "--layer", "fc");
        assertEquals(2, fc.code());
        assertTrue(fc.err().contains("--layer fc: its output is (10") && fc.err().contains("conv1, bn1"), fc.err());
        CliIT.Run none = CliIT.run("report", "--run", dir.resolve("nowhere").toString());
        assertEquals(2, none.code());
        assertTrue(none.err().contains("run folder " + dir.resolve("nowhere") + " does not exist"), none.err());
        Files.createDirectories(dir.resolve("empty"));
        CliIT.Run empty = CliIT.run("report", dir.resolve("empty").toString());
        assertEquals(2, empty.code());
        assertTrue(empty.err().contains("no best.retina in that folder"), empty.err());

        // where the network looks in one image
        Path cam = dir.resolve("cam.png");
        CliIT.Run ex = CliIT.run("explain", "--model", model, "--image", image.toString(), "--out", cam.toString());
        assertEquals(0, ex.code(), ex.err());
        assertTrue(ex.out().contains("Grad-CAM at relu2") && ex.out().contains("written to " + cam), ex.out());
        BufferedImage camImg = decodeDrawn(Files.readAllBytes(cam), "cam.png");
        assertTrue(camImg.getWidth() > 400, "drawn at 2x: " + camImg.getWidth());
        // an earlier layer, with batch norm in the head (run frozen): it reads through it
        CliIT.Run early = CliIT.run("explain", "--model", model, "--image", image.toString(), "--layer", "conv2",
                "--out", cam.toString());
        assertEquals(0, early.code(), early.err());
        assertTrue(early.out().contains("Grad-CAM at conv2"), early.out());
        CliIT.Run badLayer = CliIT.run("explain", "--model", model, "--image", image.toString(), "--layer", "nope",
                "--out", cam.toString());
        assertEquals(2, badLayer.code());
        assertTrue(badLayer.err().contains("no node named 'nope'"), badLayer.err());
    }

    @Test
    @Order(6)
    @SuppressWarnings("unchecked")
    void severalRunsCompareOnOnePage() throws Exception {
        Path second = dir.resolve("second");
        CliIT.Run r = CliIT.run("train", "--dataset", "mnist", "--data", mnist.toString(), "--epochs", "1", "--subset",
                "1000", "--validation", "200", "--lr", "0.003", "--out", second.toString(), "--threads", "2");
        assertEquals(0, r.code(), r.err());
        // one epoch still draws curves: one point per step
        BufferedImage curves = decodeDrawn(Files.readAllBytes(second.resolve("training-curves.png")), "one epoch");
        assertTrue(curves.getWidth() >= 2 * 1080, "two panels at 2x");
        Path page = dir.resolve("compare.html");
        CliIT.Run c = CliIT.run("report", runDir.toString(), second.toString(), "--out", page.toString());
        assertEquals(0, c.code(), c.err());
        assertTrue(c.out().contains("Comparison of 2 runs written to " + page), c.out());
        String html = Files.readString(page);
        assertTrue(html.contains("<th class=\"num\" style=\"color:#1f77b4\">run</th>")
                && html.contains(">second</th>"), "a column per run");
        assertTrue(html.contains("<tr class=\"diff\"><th>learning rate</th><td>0.001</td><td>0.003</td></tr>"),
                "the hyper-parameter that differs is marked");
        assertTrue(html.contains("<tr><th>test accuracy</th>"), "final figures side by side");
        assertEquals(1, html.split("src=\"data:image/png;base64,", -1).length - 1, "the overlaid curves");
        CliIT.Run single = CliIT.run("report", runDir.toString(), "--out", page.toString());
        assertEquals(2, single.code());
        assertTrue(single.err().contains("--out is for the comparison of several runs"), single.err());
        Path bin = chromium();
        try (Chromium browser = Chromium.start(bin, dir.resolve("profile-compare"))) {
            browser.open(page.toUri().toString());
            Map<String, Object> seen = (Map<String, Object>) browser.eval("({images: document.images.length, broken:"
                    + " [...document.images].filter(i => !i.complete || i.naturalWidth === 0).length})");
            assertEquals(1L, seen.get("images"));
            assertEquals(0L, seen.get("broken"));
            assertEquals(List.of(), browser.errors(), "errors in the comparison page");
        }
    }

    private static Path chromium() {
        Path bin = Chromium.binary().orElse(null);
        Assumptions.assumeTrue(bin != null, "no chromium binary on PATH (nor $CHROMIUM): the browser test is"
                + " skipped; install Debian's chromium package to run it");
        return bin;
    }

    @Test
    @Order(4)
    @SuppressWarnings("unchecked")
    void theReportOpensInChromiumWithoutErrorsOrBrokenImages() throws Exception {
        Path bin = chromium();
        try (Chromium c = Chromium.start(bin, dir.resolve("profile-report"))) {
            c.open(runDir.resolve("report.html").toUri().toString());
            Map<String, Object> page = (Map<String, Object>) c.eval("({images: document.images.length,"
                    + " broken: [...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.alt),"
                    + " text: document.body.innerText.length})");
            assertEquals(List.of(), page.get("broken"), "broken images");
            assertEquals((long) pngs().size(), page.get("images"));
            assertTrue(((Number) page.get("text")).intValue() > 1000, "the page has its text: " + page);
            byte[] shot = c.screenshot();
            Files.createDirectories(Path.of("target"));
            Files.write(Path.of("target", "report-screenshot.png"), shot);
            BufferedImage img = decodeDrawn(shot, "the screenshot");
            assertEquals(1280, img.getWidth());
            assertTrue(img.getHeight() > 2000, "the whole page: " + img.getHeight() + " pixels high");
            assertEquals(List.of(), c.errors(), "errors in the page");
        }
    }

    @Test
    @Order(5)
    void theLivePageReloadsItselfAfterAnEpoch() throws Exception {
        Path bin = chromium();
        Model best = ModelFile.load(runDir.resolve("best.retina"));
        Trainer trainer = new Trainer(best, new SoftmaxCrossEntropy(), Adam.Config.of(1e-3).create(
                best.namedParameters()));
        Dataset test = Datasets.take(DatasetStore.open("mnist", DatasetStore.Split.TEST, mnist), 300);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (LiveReport live = LiveReport.start(0, "live", Map.of("epochs", 2), test, quiet);
             Chromium c = Chromium.start(bin, dir.resolve("profile-live"))) {
            live.onTrainBegin(trainer, 2);
            c.open("http://localhost:" + live.port() + "/");
            assertTrue(((String) c.eval("document.body.innerText")).contains("waiting for the first epoch"));
            live.onEpochEnd(trainer, new EpochResult(1, 0.3, 0.9, 0.25, 0.92, 1e-3, 5, 300));
            long deadline = System.nanoTime() + 4L * LiveReport.POLL_MILLIS * 1_000_000;
            String text = "";
            while (!text.contains("epoch 1 of 2 done") && System.nanoTime() < deadline) {
                Thread.sleep(200);
                try {
                    text = (String) c.eval("document.body.innerText");
                } catch (IOException reloading) {
                    // the page is being replaced: ask again
                }
            }
            assertTrue(text.contains("epoch 1 of 2 done"), "the page reloaded itself after the epoch: " + text);
            assertEquals(List.of(), c.errors(), "errors in the live page");
        }
    }
}
