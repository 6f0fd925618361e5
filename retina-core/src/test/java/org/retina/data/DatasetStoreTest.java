package org.retina.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.retina.data.DatasetStore.Split;
import org.retina.tensor.Shape;
import org.retina.testing.TestData;

/** Where datasets are looked for, what a miss says, and fetch on a store that already holds the files. */
class DatasetStoreTest {
    @TempDir
    Path tmp;

    private static Path root(Map<String, String> env) {
        return DatasetStore.defaultRoot(env::get, "/home/u");
    }

    @Test
    void theStoreIsRetinaDataElseXdgCacheElseHomeCache() {
        assertEquals(Path.of("/data/r"), root(Map.of("RETINA_DATA", "/data/r", "XDG_CACHE_HOME", "/x")));
        assertEquals(Path.of("/x/retina"), root(Map.of("XDG_CACHE_HOME", "/x")));
        assertEquals(Path.of("/home/u/.cache/retina"), root(Map.of("XDG_CACHE_HOME", "relative/ignored")));
        assertEquals(Path.of("/home/u/.cache/retina"), root(Map.of("RETINA_DATA", " ")));
        assertThrows(IllegalStateException.class, () -> DatasetStore.defaultRoot(k -> null, null));
    }

    @Test
    void namesAreCanonical() {
        assertEquals("fashion-mnist", DatasetStore.canonicalName("Fashion_MNIST"));
        assertEquals("cifar10", DatasetStore.canonicalName("CIFAR-10"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DatasetStore.canonicalName("imagenet"));
        assertTrue(e.getMessage().contains("mnist, fashion-mnist, cifar10"), e.getMessage());
    }

    private static void copyMnistTest(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String f : List.of("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
            Files.copy(TestData.dataset("mnist").resolve(f), dir.resolve(f));
        }
    }

    @Test
    void aGivenFolderMayHoldTheFilesOrANamedSubfolder() throws IOException {
        copyMnistTest(tmp.resolve("flat"));
        Dataset flat = DatasetStore.open("mnist", Split.TEST, tmp.resolve("flat"));
        assertEquals(10000, flat.size());
        assertEquals(Shape.of(1, 28, 28), flat.sampleShape());
        assertEquals(DatasetStore.MNIST_CLASSES, flat.classNames());
        copyMnistTest(tmp.resolve("nested/mnist"));
        assertEquals(10000, DatasetStore.open("MNIST", Split.TEST, tmp.resolve("nested")).size());
        Dataset fashion = DatasetStore.open("fashion-mnist", Split.TEST, TestData.dataset("fashion-mnist").getParent());
        assertEquals("T-shirt/top", fashion.classNames().get(0));
        assertEquals(10000, fashion.size());
    }

    @Test
    void theStoreHoldsOneSubfolderPerDataset() throws IOException {
        Path store = tmp.resolve("store");
        copyMnistTest(store.resolve("mnist"));
        assertEquals(10000, DatasetStore.open("mnist", Split.TEST, null, store).size());
        DatasetStore.NotFoundException e = assertThrows(DatasetStore.NotFoundException.class,
                () -> DatasetStore.open("mnist", Split.TRAIN, null, store));
        String m = e.getMessage();
        assertTrue(m.contains("train-images-idx3-ubyte[.gz]") && m.contains(store.resolve("mnist").toString())
                && m.contains("retina fetch mnist") && m.contains("--data DIR"), m);
        assertFalse(m.contains("\n"), "one line");
    }

    @Test
    void aMissSaysWhereItLookedAndWhatToDo() {
        DatasetStore.NotFoundException e = assertThrows(DatasetStore.NotFoundException.class,
                () -> DatasetStore.open("fashion-mnist", Split.TEST, tmp));
        String m = e.getMessage();
        assertTrue(m.contains(tmp.toString()) && m.contains(tmp.resolve("fashion-mnist").toString())
                && m.contains("t10k-labels-idx1-ubyte[.gz]") && m.contains("retina fetch fashion-mnist"), m);
        assertFalse(m.contains("\n"));
        e = assertThrows(DatasetStore.NotFoundException.class, () -> DatasetStore.open("cifar10", Split.TRAIN, tmp));
        m = e.getMessage();
        assertTrue(m.contains("data_batch_1.bin") && m.contains("cifar-10-batches-bin") && m.contains("--data DIR"),
                m);
        assertTrue(m.contains("retina fetch cifar10"), m);
    }

    @Test
    void fetchOnlyVerifiesFilesThatAreAlreadyThere() throws IOException {
        Path target = tmp.resolve("mnist");
        Files.createDirectories(target);
        for (String f : List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
            Files.copy(TestData.dataset("mnist").resolve(f), target.resolve(f));
        }
        List<String> steps = new ArrayList<>();
        Path got = DatasetStore.fetch("mnist", tmp, (what, done, total) -> steps.add(what));
        assertEquals(target, got);
        assertTrue(steps.stream().allMatch(s -> s.startsWith("verify ")), steps.toString());
        assertEquals(8, steps.size());
    }
}
