package org.retina.data.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.retina.data.ByteDataset;
import org.retina.data.Dataset;
import org.retina.data.DatasetStore;
import org.retina.tensor.Shape;

/** CIFAR-10 binary files written here: layout, class names, and bad files. */
class Cifar10Test {
    @TempDir
    Path tmp;

    /** Record {@code r} of file {@code f}: label {@code (f + r) % 10}, pixel {@code k} is {@code (f*31 + r*7 + k) % 256}. */
    private static void writeBatch(Path file, int f, int records) throws IOException {
        int[] labels = new int[records];
        byte[] px = new byte[records * Cifar10.PIXELS];
        for (int r = 0; r < records; r++) {
            labels[r] = (f + r) % 10;
            for (int k = 0; k < Cifar10.PIXELS; k++) {
                px[r * Cifar10.PIXELS + k] = (byte) (f * 31 + r * 7 + k);
            }
        }
        Cifar10.write(file, labels, px);
    }

    private Path writeAll() throws IOException {
        Path dir = tmp.resolve(Cifar10.SUBFOLDER);
        Files.createDirectories(dir);
        for (int f = 0; f < 5; f++) {
            writeBatch(dir.resolve(Cifar10.TRAIN_FILES.get(f)), f, 2);
        }
        writeBatch(dir.resolve(Cifar10.TEST_FILE), 9, 3);
        return dir;
    }

    @Test
    void readsTrainingBatchesInOrderAndTheTestBatch() throws IOException {
        writeAll();
        ByteDataset train = Cifar10.load(tmp, true); // finds the subfolder
        assertEquals(10, train.size());
        assertEquals(Shape.of(3, 32, 32), train.sampleShape());
        assertArrayEquals(new int[] {0, 1, 1, 2, 2, 3, 3, 4, 4, 5}, train.labels());
        assertEquals(Cifar10.CLASS_NAMES, train.classNames());
        // sample 3 is record 1 of file 1; channel-major: k = 1024 is the first green pixel
        assertEquals((31 + 7 + 1024) & 0xFF, train.pixel(3, 1024));
        assertEquals(((31 + 7 + 5) & 0xFF) / 255f, train.sample(3).get(0, 0, 5));
        ByteDataset test = Cifar10.load(tmp.resolve(Cifar10.SUBFOLDER), false);
        assertArrayEquals(new int[] {9, 0, 1}, test.labels());
        Dataset viaStore = DatasetStore.open("cifar10", DatasetStore.Split.TEST, tmp);
        assertEquals(3, viaStore.size());
    }

    @Test
    void classNamesComeFromBatchesMetaWhenPresent() throws IOException {
        Path dir = writeAll();
        List<String> names = List.of("a0", "b1", "c2", "d3", "e4", "f5", "g6", "h7", "i8", "j9");
        Files.writeString(dir.resolve("batches.meta.txt"), String.join("\n", names) + "\n\n");
        assertEquals(names, Cifar10.load(dir, false).classNames());
        Files.writeString(dir.resolve("batches.meta.txt"), "one\ntwo\n");
        IOException e = assertThrows(IOException.class, () -> Cifar10.load(dir, false));
        assertTrue(e.getMessage().contains("2 class names, expected 10"), e.getMessage());
    }

    @Test
    void aSizeThatIsNotWholeRecordsIsRefused() throws IOException {
        Path dir = writeAll();
        Path f = dir.resolve(Cifar10.TEST_FILE);
        Files.write(f, new byte[Cifar10.RECORD * 2 + 5]);
        IOException e = assertThrows(IOException.class, () -> Cifar10.load(dir, false));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("6151 bytes")
                && e.getMessage().contains("3073"), e.getMessage());
    }

    @Test
    void aLabelAboveNineIsRefused() throws IOException {
        Path dir = writeAll();
        Path f = dir.resolve(Cifar10.TRAIN_FILES.get(2));
        Cifar10.write(f, new int[] {3, 10}, new byte[2 * Cifar10.PIXELS]);
        IOException e = assertThrows(IOException.class, () -> Cifar10.load(dir, true));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("record 1")
                && e.getMessage().contains("label 10, expected 0..9"), e.getMessage());
    }

    @Test
    void aMissingFolderOrFileSaysWhatWasLookedFor() throws IOException {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Cifar10.load(tmp, true));
        assertTrue(e.getMessage().contains(Cifar10.SUBFOLDER) && e.getMessage().contains("binary version"),
                e.getMessage());
        Path dir = writeAll();
        Files.delete(dir.resolve(Cifar10.TRAIN_FILES.get(4)));
        e = assertThrows(NoSuchFileException.class, () -> Cifar10.load(dir, true));
        assertTrue(e.getMessage().contains("data_batch_5.bin"), e.getMessage());
        e = assertThrows(NoSuchFileException.class, () -> DatasetStore.open("cifar10", DatasetStore.Split.TRAIN, tmp));
        assertTrue(e.getMessage().contains("data_batch_5.bin"), e.getMessage());
    }
}
