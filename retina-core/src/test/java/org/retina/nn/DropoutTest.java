package org.retina.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.retina.tensor.Rng;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;
import org.retina.testing.GradientCheck;

/** Dropout's randomness: identity in evaluation, gradients through the last mask, the kept rate, the seeding. */
class DropoutTest {

    private static Dropout built(double p, Shape in, long seed) {
        Dropout d = Dropout.of(p);
        d.build(in);
        d.initialize(new Rng(seed));
        return d;
    }

    /** Uniform in [0.5, 1.5): no zero inputs, so a zero output means a dropped element. */
    private static Tensor nonZero(Shape shape, Rng rng) {
        Tensor t = Tensor.zeros(shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = 0.5f + rng.nextFloat();
        }
        return t;
    }

    @Test
    void evalIsTheIdentity() {
        Dropout d = built(0.5, Shape.of(3, 4, 4), 1);
        Tensor x = GradientCheck.random(Tensor.zeros(2, 3, 4, 4), new Rng(2));
        Tensor y = d.forward(x, Mode.EVAL);
        assertArrayEquals(x.data(), y.data());
        assertNotSame(x.data(), y.data(), "the output must not share the caller's array");
    }

    @Test
    void trainGradientIsTheLastMaskOverKeepProbability() {
        double p = 0.3;
        Dropout d = built(p, Shape.of(50), 3);
        Rng rng = new Rng(4);
        Tensor x = nonZero(Shape.of(4, 50), rng);
        d.forward(nonZero(Shape.of(4, 50), rng), Mode.TRAIN);
        Tensor y = d.forward(x, Mode.TRAIN);
        Tensor gy = GradientCheck.random(y, rng);
        Tensor gx = d.backward(gy);
        int kept = 0;
        for (int i = 0; i < y.size(); i++) {
            boolean keep = y.data()[i] != 0f;
            kept += keep ? 1 : 0;
            // the float32 scale 1f/(1f-p) times a value: a few float ulps, well below 1e-6 relative
            if (keep) {
                double want = x.data()[i] / (1 - p);
                assertEquals(want, y.data()[i], 1e-6 * Math.abs(want), "kept value " + i);
            }
            double want = keep ? gy.data()[i] / (1 - p) : 0.0;
            assertEquals(want, gx.data()[i], 1e-6 * Math.abs(want), "gradient " + i);
        }
        assertTrue(kept > 0 && kept < y.size(), "a mask of 200 elements at p 0.3 keeps some and drops some");
    }

    @Test
    void keptFractionIsCloseToOneMinusP() {
        double p = 0.3;
        int n = 1_000_000;
        Dropout d = built(p, Shape.of(n), 5);
        Tensor y = d.forward(Tensor.full(Shape.of(1, n), 1f), Mode.TRAIN);
        long kept = 0;
        for (float v : y.data()) {
            kept += v != 0f ? 1 : 0;
        }
        // kept ~ Binomial(n, 1-p): standard deviation sqrt(p(1-p)/n) = 4.6e-4 of a fraction; 5 of them is a bound
        // an unbiased mask breaks with probability below 1e-6, while a bias of 0.25% (a p off by 1/400) fails it
        double bound = 5 * Math.sqrt(p * (1 - p) / n);
        assertEquals(1 - p, (double) kept / n, bound, "kept fraction");
    }

    @Test
    void sameSeedGivesTheSameMasks() {
        Tensor x = Tensor.full(Shape.of(2, 64), 1f);
        Dropout a = built(0.5, Shape.of(64), 42);
        Dropout b = built(0.5, Shape.of(64), 42);
        Dropout other = built(0.5, Shape.of(64), 43);
        Tensor a1 = a.forward(x, Mode.TRAIN);
        assertArrayEquals(a1.data(), b.forward(x, Mode.TRAIN).data(), "first mask");
        Tensor a2 = a.forward(x, Mode.TRAIN);
        assertArrayEquals(a2.data(), b.forward(x, Mode.TRAIN).data(), "second mask");
        assertFalse(Arrays.equals(a1.data(), a2.data()), "each forward draws a new mask");
        assertFalse(Arrays.equals(a1.data(), other.forward(x, Mode.TRAIN).data()), "another seed, another mask");
    }

    @Test
    void evalDrawsNothingFromTheStream() {
        Tensor x = Tensor.full(Shape.of(2, 64), 1f);
        Dropout a = built(0.5, Shape.of(64), 7);
        Dropout b = built(0.5, Shape.of(64), 7);
        a.forward(x, Mode.EVAL);
        a.forward(x, Mode.EVAL);
        assertArrayEquals(b.forward(x, Mode.TRAIN).data(), a.forward(x, Mode.TRAIN).data());
    }

    @Test
    void zeroProbabilityKeepsEverything() {
        Dropout d = built(0, Shape.of(10), 8);
        Tensor x = GradientCheck.random(Tensor.zeros(3, 10), new Rng(9));
        assertArrayEquals(x.data(), d.forward(x, Mode.TRAIN).data());
    }

    @Test
    void probabilityOutsideTheRangeIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dropout.of(1));
        assertEquals("Dropout: p is 1.0, expected 0 <= p < 1", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Dropout.of(-0.1));
        assertThrows(IllegalArgumentException.class, () -> Dropout.of(Double.NaN));
    }

    @Test
    void trainingWithoutInitializeIsNamed() {
        Dropout d = Dropout.of(0.5);
        d.build(Shape.of(4));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> d.forward(Tensor.zeros(1, 4), Mode.TRAIN));
        assertTrue(e.getMessage().startsWith("Dropout: "), e.getMessage());
    }
}
