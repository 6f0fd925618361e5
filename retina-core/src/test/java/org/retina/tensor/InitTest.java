package org.retina.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Initializers follow their formulas and the same seed gives the same bits. */
class InitTest {
    private static final int N = 200_000;

    private static double[] meanStd(Tensor t) {
        double s = 0;
        double s2 = 0;
        for (float v : t.data()) {
            s += v;
            s2 += (double) v * v;
        }
        double mean = s / t.size();
        return new double[] {mean, Math.sqrt(s2 / t.size() - mean * mean)};
    }

    @Test
    void kaimingNormalHasStdGainOverSqrtFanIn() {
        Tensor t = Tensor.zeros(N);
        Init.kaimingNormal(t, 50, Init.RELU_GAIN, new Rng(1));
        double[] ms = meanStd(t);
        double std = Math.sqrt(2.0 / 50);
        // the standard error of a sample std over 200,000 draws is std/sqrt(2N) ~ 0.16% of std: 2% is > 10 sigma
        assertEquals(0, ms[0], 0.02 * std);
        assertEquals(std, ms[1], 0.02 * std);
    }

    @Test
    void uniformInitializersStayInsideTheirBounds() {
        Tensor t = Tensor.zeros(N);
        Init.kaimingUniform(t, 27, 1.0, new Rng(2));
        double bound = Math.sqrt(3.0 / 27);
        double max = 0;
        for (float v : t.data()) {
            max = Math.max(max, Math.abs(v));
        }
        assertTrue(max <= bound && max > 0.99 * bound, "max |w| " + max + " vs bound " + bound);
        // uniform in [-b, b] has std b/sqrt(3)
        assertEquals(bound / Math.sqrt(3), meanStd(t)[1], 0.02 * bound);
        Init.xavierUniform(t, 20, 30, 1.0, new Rng(3));
        double xb = Math.sqrt(6.0 / 50);
        for (float v : t.data()) {
            assertTrue(Math.abs(v) <= xb);
        }
        Init.xavierNormal(t, 20, 30, 1.0, new Rng(3));
        assertEquals(Math.sqrt(2.0 / 50), meanStd(t)[1], 0.02 * Math.sqrt(2.0 / 50));
    }

    @Test
    void sameSeedSameBitsConstantAndZeros() {
        Tensor a = Tensor.zeros(1000);
        Tensor b = Tensor.zeros(1000);
        Init.kaimingNormal(a, 9, 1, new Rng(5));
        Init.kaimingNormal(b, 9, 1, new Rng(5));
        assertArrayEquals(a.data(), b.data());
        Init.constant(a, 0.25f);
        for (float v : a.data()) {
            assertEquals(0.25f, v);
        }
        Init.zeros(a);
        assertEquals(0, meanStd(a)[1]);
    }

    @Test
    void rngIsUniformAndShufflesEveryElementOnce() {
        Rng r = new Rng(9);
        int[] counts = new int[10];
        for (int i = 0; i < 100_000; i++) {
            counts[r.nextInt(10)]++;
        }
        for (int c : counts) {
            // expected 10,000 per bucket with std ~95: 600 is over 6 sigma
            assertEquals(10_000, c, 600);
        }
        int[] a = new int[100];
        for (int i = 0; i < a.length; i++) {
            a[i] = i;
        }
        r.shuffle(a);
        assertEquals(4950, java.util.Arrays.stream(a).sum());
        assertEquals(100, java.util.Arrays.stream(a).distinct().count());
    }
}
