package org.retina.bench;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.retina.data.Dataset;
import org.retina.data.DatasetStore;
import org.retina.viz.Png;

/**
 * The warmup group: Retina as a user starts it, each command a fresh process through the {@code retina} launcher
 * (its start-up cache included). The default job ({@code retina train}: five epochs of Fashion-MNIST) launch to
 * exit and its first epoch's images/s, then three cold predictions of one test image with the model it saved.
 * PyTorch's side of the group does the same work in fresh Python processes.
 */
final class ColdRuns {
    /** The epoch line's figures: {@code Epoch 1/5: loss ... | 12.6 s, 4,352 img/s}. */
    private static final Pattern FIRST_EPOCH = Pattern.compile("Epoch 1/\\d+: .*\\| [0-9.]+ s, ([0-9,]+) img/s");

    private ColdRuns() {
    }

    /** The Fashion-MNIST folder both engines read: the dataset store's, fetched when missing. */
    static Path data() throws IOException {
        return DatasetStore.fetch("fashion-mnist", DatasetStore.Progress.NONE);
    }

    /** Adds {@code seed.job_s}, {@code seed.first_epoch_ips} and {@code seed.cold_predict_s}. */
    static void run(int threads, Map<String, Double> results) throws IOException, InterruptedException {
        Path launcher = Path.of(System.getProperty("retina.home", "."), "retina");
        if (!Files.isExecutable(launcher)) {
            throw new IllegalStateException("the warmup group runs " + launcher + ", which is not there (set"
                    + " -Dretina.home to the repository root)");
        }
        // untimed: a build the sources ask for, and the start-up cache of that build, are an install's work, not a
        // user's command's (a run of this group right after an edit timed them into the job)
        command(List.of(launcher.toString(), "--version"));
        Path dir = Files.createTempDirectory("retina-warmup");
        try {
            Path run = dir.resolve("run");
            long t0 = System.nanoTime();
            String out = command(List.of(launcher.toString(), "train", "--data", data().toString(), "--threads",
                    Integer.toString(threads), "--out", run.toString()));
            results.put("seed.job_s", (System.nanoTime() - t0) / 1e9);
            Matcher m = FIRST_EPOCH.matcher(out);
            if (!m.find()) {
                throw new IOException("the job printed no first-epoch line:\n" + out);
            }
            results.put("seed.first_epoch_ips", Double.parseDouble(m.group(1).replace(",", "")));
            Path image = dir.resolve("image.png");
            Dataset test = DatasetStore.open("fashion-mnist", DatasetStore.Split.TEST, data());
            BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            float[] px = test.sample(0).data();
            for (int i = 0; i < px.length; i++) {
                img.getRaster().setSample(i % 28, i / 28, 0, Math.round(px[i] * 255));
            }
            Png.write(img, image);
            double[] times = new double[3];
            for (int i = 0; i < times.length; i++) {
                long s = System.nanoTime();
                command(List.of(launcher.toString(), "predict", "--model", run.resolve("best.retina").toString(),
                        image.toString()));
                times[i] = (System.nanoTime() - s) / 1e9;
            }
            results.put("seed.cold_predict_s", Measure.median(times));
        } finally {
            try (var s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static String command(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed with status " + p.exitValue() + ":\n" + out);
        }
        return out;
    }
}
