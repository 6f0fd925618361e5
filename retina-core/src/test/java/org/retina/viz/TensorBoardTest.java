package org.retina.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.retina.data.Dataset;
import org.retina.data.DatasetStore;
import org.retina.data.Datasets;
import org.retina.loss.SoftmaxCrossEntropy;
import org.retina.model.Model;
import org.retina.optim.Adam;
import org.retina.testing.TestData;
import org.retina.train.Trainer;
import org.retina.zoo.Zoo;

/** TensorBoard event files of a real short run, read back by {@link EventFile} with every CRC checked. */
class TensorBoardTest {
    @TempDir
    Path dir;

    @Test
    void crc32cIsTheCastagnoliCheckValue() {
        CRC32C c = new CRC32C();
        c.update("123456789".getBytes(StandardCharsets.US_ASCII));
        assertEquals(0xE3069283L, c.getValue(), "the published CRC-32C check value");
    }

    @Test
    void aShortRunWritesScalarsPerStepAndImagesPerEpoch() throws IOException {
        Dataset all = DatasetStore.open("mnist", DatasetStore.Split.TRAIN, TestData.dataset("mnist"));
        Datasets.Split split = Datasets.holdOut(Datasets.take(all, 640), 128);
        Model m = Zoo.create("fashion-cnn", 10, 7);
        Trainer t = new Trainer(m, new SoftmaxCrossEntropy(), Adam.Config.of(1e-3).create(m.namedParameters()));
        Path file;
        try (TensorBoard tb = new TensorBoard(dir.resolve("tb"), split.validation())) {
            t.fit(split.train(), split.validation(), 2, 64, tb);
            file = tb.file();
        }
        assertTrue(file.getFileName().toString().startsWith("events.out.tfevents."), file.toString());
        List<EventFile.Event> events = EventFile.read(file);
        assertEquals(TensorBoard.FILE_VERSION, events.getFirst().fileVersion());
        long steps = events.stream().flatMap(e -> e.values().stream()).filter(v -> v.tag().equals("train/loss"))
                .count();
        assertEquals(16, steps, "512 images in batches of 64, two epochs: 16 steps, each logged");
        List<Long> lossSteps = events.stream().filter(e -> e.values().stream()
                .anyMatch(v -> v.tag().equals("train/loss"))).map(EventFile.Event::step).toList();
        for (int i = 0; i < lossSteps.size(); i++) {
            assertEquals(i + 1, lossSteps.get(i), "steps count from 1");
        }
        float first = scalar(events, "train/loss", 1);
        assertTrue(first > 1.5 && first < 3.5, "the first loss is near ln 10: " + first);
        assertEquals(t.history().epochs().get(1).valAccuracy(), scalar(events, "epoch/val_accuracy", 16), 1e-6);
        List<EventFile.Value> images = events.stream().flatMap(e -> e.values().stream())
                .filter(v -> v.png() != null).toList();
        assertEquals(List.of("predictions", "filters", "predictions", "filters"),
                images.stream().map(EventFile.Value::tag).toList());
        for (EventFile.Value v : images) {
            BufferedImage img = EventFile.decode(v.png());
            assertEquals(v.width(), img.getWidth());
            assertEquals(v.height(), img.getHeight());
            assertEquals(3, v.colorspace(), "RGB");
        }
        assertTrue(events.stream().allMatch(e -> e.wallTime() > 1.7e9), "wall times in seconds since 1970");
    }

    @Test
    void aDamagedRecordIsNoticed() throws IOException {
        Path file;
        try (TensorBoard tb = new TensorBoard(dir, null)) {
            tb.scalar("x", 1, 0.5);
            file = tb.file();
        }
        byte[] b = Files.readAllBytes(file);
        b[b.length - 6] ^= 1;
        Files.write(file, b);
        IOException e = assertThrows(IOException.class, () -> EventFile.read(file));
        assertTrue(e.getMessage().contains("CRC"), e.getMessage());
    }

    private static float scalar(List<EventFile.Event> events, String tag, long step) {
        return events.stream().filter(e -> e.step() == step).flatMap(e -> e.values().stream())
                .filter(v -> v.tag().equals(tag)).findFirst().orElseThrow(() -> new AssertionError(tag + " at " + step))
                .scalar();
    }
}
