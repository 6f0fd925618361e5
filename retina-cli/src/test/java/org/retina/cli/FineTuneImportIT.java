package org.retina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.retina.data.Dataset;
import org.retina.data.DatasetStore;
import org.retina.testing.TestData;

/**
 * Fine-tuning what {@code torch.onnx.export} writes, from the command line: the committed small-width
 * torchvision MobileNet v2 and ResNet-18 exports (64x64 RGB input, 10 classes) get a new 4-class head and are
 * trained with everything up to a PyTorch module name frozen, on a folder of images
 * ({@code train/<class>/*.png}, {@code test/<class>/*.png}: Fashion-MNIST's T-shirts, trousers, sneakers and bags
 * as 28x28 grey PNGs, which the CLI reads at the model's 64x64 in colour). The training loss must fall from the
 * first epoch to the last and the accuracy rise, and the test accuracy must be far above chance (25%).
 */
class FineTuneImportIT {
    @TempDir
    Path dir;

    private static final int[] CLASSES = {0, 1, 7, 8};

    private static void folder(Path root, Dataset d, int perClass) throws IOException {
        int[] count = new int[10];
        for (int i = 0; i < d.size(); i++) {
            int label = d.label(i);
            if (List.of(0, 1, 7, 8).contains(label) && count[label] < perClass) {
                Path cls = Files.createDirectories(root.resolve(d.classNames().get(label).replace('/', '-')));
                TestData.writeGreyPng(d, i, cls.resolve(String.format(Locale.ROOT, "%05d.png", i)));
                count[label]++;
            }
        }
        for (int c : CLASSES) {
            assertEquals(perClass, count[c], "images of class " + c);
        }
    }

    @ParameterizedTest(name = "{0} frozen up to {1}")
    @CsvSource({"mobilenet_v2, features.13.conv.2", "resnet18, layer3.1.relu_1"})
    void fineTunesATorchvisionExportOnAnImageFolder(String family, String freezeUntil) throws IOException {
        Path fashion = TestData.dataset("fashion-mnist");
        Path images = dir.resolve("images");
        folder(images.resolve("train"), DatasetStore.open("fashion-mnist", DatasetStore.Split.TRAIN, fashion), 160);
        folder(images.resolve("test"), DatasetStore.open("fashion-mnist", DatasetStore.Split.TEST, fashion), 50);
        Path onnx = Path.of("..", "retina-onnx", "src", "test", "resources", "torchvision", family + "-o17.onnx");
        Path run = dir.resolve("run-" + family);
        CliIT.Run r = CliIT.run("train", "--model", onnx.toString(), "--dataset", images.toString(), "--num-classes",
                "4", "--freeze-until", freezeUntil, "--epochs", "4", "--batch-size", "32", "--lr", "0.002",
                "--validation", "0.2", "--out", run.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("Reading the images of " + images + " at the model's 64x64 colour"), r.out());
        Matcher p = Pattern.compile("Total params: ([\\d,]+).*\\nTrainable params: ([\\d,]+)").matcher(r.out());
        assertTrue(p.find(), r.out());
        long total = Long.parseLong(p.group(1).replace(",", ""));
        long trainable = Long.parseLong(p.group(2).replace(",", ""));
        assertTrue(trainable > 4 * 64 + 4 && trainable < total * 0.8, "the layers up to " + freezeUntil
                + " frozen, the later ones and the new head trained: " + trainable + " of " + total);
        List<String> rows = Files.readAllLines(run.resolve("metrics.csv"));
        String[] first = rows.get(1).split(",");
        String[] last = rows.getLast().split(",");
        assertEquals(5, rows.size(), "four epochs: " + rows);
        assertTrue(Double.parseDouble(last[1]) < Double.parseDouble(first[1]), "training loss falls: " + rows);
        assertTrue(Double.parseDouble(last[2]) > Double.parseDouble(first[2]), "training accuracy rises: " + rows);
        Matcher acc = Pattern.compile("Test accuracy ([\\d.]+)%").matcher(r.out());
        assertTrue(acc.find(), r.out());
        assertTrue(Double.parseDouble(acc.group(1)) > 60, "test accuracy far above chance: " + acc.group(1));
        // the kept model remembers its image folder: evaluate and report read it again at the model's size
        CliIT.Run ev = CliIT.run("evaluate", "--model", run.resolve("best.retina").toString());
        assertEquals(0, ev.code(), ev.out() + ev.err());
        assertTrue(ev.out().contains("on " + images + " (TEST)") || ev.out().contains(images.toString()), ev.out());
        Matcher again = Pattern.compile("ccuracy[^\\d]*([\\d.]+)%").matcher(ev.out());
        assertTrue(again.find() && Math.abs(Double.parseDouble(again.group(1)) - Double.parseDouble(acc.group(1)))
                < 0.01, "evaluate gives the training run's test accuracy: " + ev.out());
        CliIT.Run rep = CliIT.run("report", run.toString());
        assertEquals(0, rep.code(), rep.out() + rep.err());
    }
}
