package org.retina.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.retina.tensor.Shape;

/** Hold-out splits, subsets, normalization views and channel statistics. */
class DatasetsTest {

    /** {@code n} samples of (2, 1, 2): sample i holds bytes {@code i, i+1} (channel 0) and {@code 100+i, 200} (channel 1). */
    static ByteDataset numbered(int n) {
        byte[] px = new byte[n * 4];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            px[i * 4] = (byte) i;
            px[i * 4 + 1] = (byte) (i + 1);
            px[i * 4 + 2] = (byte) (100 + i);
            px[i * 4 + 3] = (byte) 200;
            labels[i] = i % 3;
        }
        return new ByteDataset("numbered", Shape.of(2, 1, 2), px, labels, List.of("a", "b", "c"));
    }

    /** Which base sample each sample of {@code ds} is (channel 0, first byte). */
    static int[] ids(Dataset ds) {
        int[] r = new int[ds.size()];
        float[] x = new float[ds.sampleShape().size()];
        for (int i = 0; i < r.length; i++) {
            ds.copyPixels(i, x, 0);
            r[i] = Math.round(x[0] * 255);
        }
        return r;
    }

    @Test
    void holdOutKeepsTheLastSamplesForValidation() {
        Datasets.Split s = Datasets.holdOut(numbered(10), 3);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6}, ids(s.train()));
        assertArrayEquals(new int[] {7, 8, 9}, ids(s.validation()));
        assertEquals(1, s.validation().label(0)); // sample 7 -> 7 % 3
        Datasets.Split cifarLike = Datasets.holdOut(numbered(200), 20);
        assertEquals(180, cifarLike.train().size());
        assertEquals(180, ids(cifarLike.validation())[0]);
        Datasets.Split none = Datasets.holdOut(numbered(4), 0);
        assertEquals(4, none.train().size());
        assertEquals(0, none.validation().size());
        assertThrows(IllegalArgumentException.class, () -> Datasets.holdOut(numbered(4), 4));
        assertThrows(IllegalArgumentException.class, () -> Datasets.holdOut(numbered(4), -1));
    }

    @Test
    void holdOutFractionRoundsAsKeras() {
        assertEquals(45, Datasets.holdOutFraction(numbered(50), 0.1).train().size());
        Datasets.Split s = Datasets.holdOutFraction(numbered(7), 0.5); // keep int(7 * 0.5) = 3
        assertEquals(3, s.train().size());
        assertArrayEquals(new int[] {3, 4, 5, 6}, ids(s.validation()));
        assertThrows(IllegalArgumentException.class, () -> Datasets.holdOutFraction(numbered(7), 1.0));
        assertThrows(IllegalArgumentException.class, () -> Datasets.holdOutFraction(numbered(1), 0.5));
    }

    @Test
    void subsetTakeAndRangeAreViews() {
        ByteDataset base = numbered(10);
        Dataset sub = Datasets.subset(base, new int[] {9, 2, 2, 5});
        assertArrayEquals(new int[] {9, 2, 2, 5}, ids(sub));
        assertArrayEquals(new int[] {0, 2, 2, 2}, sub.labels());
        assertArrayEquals(new int[] {0, 1, 2}, ids(Datasets.take(base, 3)));
        assertEquals(10, Datasets.take(base, 99).size());
        Dataset nested = Datasets.range(Datasets.range(base, 2, 6), 1, 3);
        assertArrayEquals(new int[] {3, 4, 5}, ids(nested));
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> Datasets.subset(base, new int[] {1, 10}));
        assertTrue(e.getMessage().contains("index 10 at position 1"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> nested.label(3));
    }

    @Test
    void normalizedViewsScaleThenNormalizePerChannel() {
        ByteDataset base = numbered(5);
        Dataset norm = base.normalized(new float[] {0.5f, 0.25f}, new float[] {0.5f, 2f});
        float[] x = new float[4];
        norm.copySample(3, x, 0);
        assertEquals((3 / 255f - 0.5f) / 0.5f, x[0]);
        assertEquals((103 / 255f - 0.25f) / 2f, x[2]);
        norm.copyPixels(3, x, 0);
        assertEquals(3 / 255f, x[0]);
        Dataset sub = Datasets.subset(norm, new int[] {3});
        assertEquals(norm.sample(3).data()[2], sub.sample(0).data()[2]);
        Dataset renorm = norm.normalized(new float[] {0, 0}, new float[] {1, 1}); // replaces, does not stack
        assertEquals(3 / 255f, renorm.sample(3).data()[0]);
        assertThrows(IllegalArgumentException.class, () -> base.normalized(new float[] {0}, new float[] {1}));
        assertThrows(IllegalArgumentException.class, () -> base.normalized(new float[] {0, 0}, new float[] {1, 0}));
    }

    @Test
    void channelStatsArePerChannelPopulationStatistics() {
        ByteDataset base = numbered(4); // channel 0 bytes 0,1,1,2,2,3,3,4; channel 1: 100,200,101,200,...
        Datasets.Stats s = Datasets.channelStats(base.normalized(new float[] {9, 9}, new float[] {9, 9}));
        double m0 = 16 / 8.0 / 255;
        double v0 = (0 + 1 + 1 + 4 + 4 + 9 + 9 + 16) / 8.0 / 255 / 255 - m0 * m0;
        assertEquals(m0, s.mean()[0], 1e-6);
        assertEquals(Math.sqrt(v0), s.std()[0], 1e-6);
        double m1 = (100 + 101 + 102 + 103 + 4 * 200) / 8.0 / 255;
        assertEquals(m1, s.mean()[1], 1e-6);
        Dataset standard = base.normalized(s.mean(), s.std());
        Datasets.Stats after = Datasets.channelStats(Datasets.take(standard, 4));
        assertEquals(s.mean()[1], after.mean()[1]); // stats read the [0, 1] pixels, not the normalized values
        assertArrayEquals(new int[] {2, 1, 1}, Datasets.labelCounts(base));
    }
}
