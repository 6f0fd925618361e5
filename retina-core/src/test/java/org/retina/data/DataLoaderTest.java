package org.retina.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.retina.tensor.Shape;

/** DataLoader: determinism, epochs, coverage, partial batches, transforms, errors and its thread. */
class DataLoaderTest {

    /** 103 samples of (1, 4, 4); sample i's pixels are {@code (i + k) % 256}, label {@code i % 10}. */
    private static ByteDataset data() {
        int n = 103;
        byte[] px = new byte[n * 16];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 16; k++) {
                px[i * 16 + k] = (byte) (i + k);
            }
            labels[i] = i % 10;
        }
        return new ByteDataset("data", Shape.of(1, 4, 4), px, labels, List.of("0", "1", "2", "3", "4", "5", "6",
                "7", "8", "9"));
    }

    private static List<Batch> all(DataLoader loader, int epoch) {
        List<Batch> out = new ArrayList<>();
        for (Batch b : loader.epoch(epoch)) {
            out.add(b);
        }
        return out;
    }

    private static void assertSame(List<Batch> a, List<Batch> b) {
        assertEquals(a.size(), b.size());
        for (int k = 0; k < a.size(); k++) {
            assertEquals(a.get(k).x().shape(), b.get(k).x().shape());
            assertArrayEquals(a.get(k).x().data(), b.get(k).x().data());
            assertArrayEquals(a.get(k).labels(), b.get(k).labels());
            assertArrayEquals(a.get(k).indices(), b.get(k).indices());
        }
    }

    private static DataLoader augmented(long seed) {
        return DataLoader.of(data(), 10).withShuffle(seed)
                .withTransforms(List.of(new RandomCrop(1), new HorizontalFlip()));
    }

    @Test
    void theSameSeedGivesTheSameBatchesBitForBit() {
        for (int epoch : new int[] {0, 3}) {
            assertSame(all(augmented(42), epoch), all(augmented(42), epoch));
            assertSame(all(augmented(42), epoch), all(augmented(42).withPrefetch(0), epoch));
            assertSame(all(augmented(42), epoch), all(augmented(42).withPrefetch(1), epoch));
        }
        assertFalse(Arrays.equals(augmented(42).order(0), augmented(43).order(0)));
    }

    @Test
    void epochsDifferAndEachServesEveryIndexOnce() {
        DataLoader loader = augmented(7);
        assertEquals(11, loader.numBatches());
        int[] first = null;
        for (int epoch = 0; epoch < 3; epoch++) {
            List<Batch> batches = all(loader, epoch);
            assertEquals(11, batches.size());
            assertEquals(3, batches.get(10).size());
            assertEquals(Shape.of(3, 1, 4, 4), batches.get(10).x().shape());
            int[] seen = new int[103];
            int[] order = new int[103];
            int n = 0;
            for (Batch b : batches) {
                for (int j = 0; j < b.size(); j++) {
                    seen[b.indices()[j]]++;
                    order[n++] = b.indices()[j];
                    assertEquals(b.indices()[j] % 10, b.labels()[j]);
                }
            }
            for (int s : seen) {
                assertEquals(1, s);
            }
            assertArrayEquals(loader.order(epoch), order);
            if (first == null) {
                first = order;
            } else {
                assertFalse(Arrays.equals(first, order));
            }
        }
    }

    @Test
    void withoutShuffleServesDatasetOrderAndDropLastDropsThePartialBatch() {
        DataLoader plain = DataLoader.of(data(), 10);
        List<Batch> batches = all(plain, 5);
        assertArrayEquals(new int[] {100, 101, 102}, batches.get(10).indices());
        assertEquals(1 / 255f, batches.get(0).x().get(0, 0, 0, 1));
        DataLoader drop = plain.withDropLast(true);
        assertEquals(10, drop.numBatches());
        assertEquals(100, drop.samplesPerEpoch());
        assertEquals(10, all(drop, 0).size());
        assertEquals(0, all(DataLoader.of(data(), 200).withDropLast(true), 0).size());
    }

    @Test
    void transformsDependOnlyOnSeedEpochAndIndex() {
        DataLoader a = augmented(9);
        DataLoader b = DataLoader.of(data(), 7).withShuffle(9).withTransforms(List.of(new RandomCrop(1),
                new HorizontalFlip()));
        float[][] byIndexA = byIndex(all(a, 2));
        float[][] byIndexB = byIndex(all(b, 2));
        for (int i = 0; i < 103; i++) {
            assertArrayEquals(byIndexA[i], byIndexB[i], "sample " + i);
        }
        float[][] otherEpoch = byIndex(all(a, 1));
        int differ = 0;
        for (int i = 0; i < 103; i++) {
            differ += Arrays.equals(byIndexA[i], otherEpoch[i]) ? 0 : 1;
        }
        assertTrue(differ > 50, differ + " samples differ between epochs");
    }

    private static float[][] byIndex(List<Batch> batches) {
        float[][] r = new float[103][];
        for (Batch b : batches) {
            for (int j = 0; j < b.size(); j++) {
                r[b.indices()[j]] = Arrays.copyOfRange(b.x().data(), j * 16, j * 16 + 16);
            }
        }
        return r;
    }

    @Test
    void withSeedDrivesTransformsWithoutShuffling() {
        DataLoader a = DataLoader.of(data(), 10).withTransforms(List.of(new RandomCrop(2))).withSeed(5);
        assertArrayEquals(DataLoader.of(data(), 10).order(0), a.order(3));
        assertSame(all(a, 1), all(a.withPrefetch(0), 1));
        assertFalse(Arrays.equals(all(a, 1).get(0).x().data(), all(a.withSeed(6), 1).get(0).x().data()));
        assertFalse(Arrays.equals(a.withShuffle(5).order(0), a.order(0)));
    }

    @Test
    void normalizationComesAfterTheTransforms() {
        Dataset norm = data().normalized(new float[] {0.5f}, new float[] {0.5f});
        Transform zeroFirst = (x, off, shape, rng) -> x[off] = 0f; // padding-like black pixel
        Batch b = all(DataLoader.of(norm, 4).withTransforms(List.of(zeroFirst)), 0).get(0);
        assertEquals(-1f, b.x().data()[0]);
        assertEquals((2 / 255f - 0.5f) / 0.5f, b.x().data()[16 + 1]);
    }

    @Test
    void anExceptionInATransformReachesTheConsumerWithItsMessage() {
        Transform failing = (x, off, shape, rng) -> {
            if (x[off] == 57 / 255f) {
                throw new IllegalArgumentException("cannot transform sample 57");
            }
        };
        for (int prefetch : new int[] {0, 2}) {
            DataLoader loader = DataLoader.of(data(), 10).withTransforms(List.of(failing)).withPrefetch(prefetch);
            Iterator<Batch> it = loader.epoch(0).iterator();
            for (int k = 0; k < 5; k++) {
                it.next();
            }
            IllegalStateException e = assertThrows(IllegalStateException.class, it::next);
            assertTrue(e.getMessage().contains("cannot transform sample 57") && e.getMessage().contains("batch 5"),
                    e.getMessage());
            assertTrue(e.getCause() instanceof IllegalArgumentException);
        }
    }

    private static boolean loaderThreadAlive(int epoch) {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("retina-loader-epoch-" + epoch) && t.isAlive());
    }

    private static boolean waitUntil(java.util.function.BooleanSupplier done, boolean gc) throws InterruptedException {
        for (int i = 0; i < 200 && !done.getAsBoolean(); i++) {
            if (gc) {
                System.gc();
            }
            Thread.sleep(50);
        }
        return done.getAsBoolean();
    }

    @Test
    void closingTheEpochStopsItsDaemonThread() throws InterruptedException {
        DataLoader loader = DataLoader.of(data(), 1).withPrefetch(1);
        try (DataLoader.Epoch epoch = loader.epoch(901)) {
            Iterator<Batch> it = epoch.iterator();
            it.next();
            assertTrue(loaderThreadAlive(901));
            assertTrue(Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("retina-loader-epoch-901")).allMatch(Thread::isDaemon));
        }
        assertTrue(waitUntil(() -> !loaderThreadAlive(901), false), "the thread ends after close");
    }

    @Test
    void anAbandonedIteratorsThreadEnds() throws InterruptedException {
        abandon(DataLoader.of(data(), 1).withPrefetch(1));
        assertTrue(waitUntil(() -> !loaderThreadAlive(902), true), "the thread ends once the iterator is collected");
    }

    private static void abandon(DataLoader loader) {
        Iterator<Batch> it = loader.epoch(902).iterator();
        it.next();
        assertTrue(loaderThreadAlive(902));
    }

    @Test
    void badSettingsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataLoader.of(data(), 0));
        assertTrue(e.getMessage().contains("batch size is 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DataLoader.of(data(), 1).withPrefetch(9));
        assertThrows(IllegalArgumentException.class, () -> DataLoader.of(data(), 1).epoch(-1));
    }
}
