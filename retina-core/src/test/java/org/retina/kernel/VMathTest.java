package org.retina.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** {@link VMath}: tanh against {@code Math.tanh}, the vector path bit-identical to its scalar twin, fixed-order sums. */
class VMathTest {

    @Test
    void tanhIsWithinTwoUlpsAndVectorMatchesScalar() {
        Random rnd = new Random(5);
        int n = 4099;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) ((rnd.nextDouble() * 2 - 1) * Math.pow(10, rnd.nextInt(5) - 3));
        }
        float[] specials = {0f, -0f, 0.625f, -0.625f, 0.62499994f, 9f, -9f, 30f, -100f, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, Float.NaN, Float.MIN_VALUE, 1e-30f};
        System.arraycopy(specials, 0, x, 0, specials.length);
        float[] y = new float[n];
        VMath.tanh(x, 0, y, 0, n);
        for (int i = 0; i < n; i++) {
            double want = Math.tanh(x[i]);
            if (Double.isNaN(want)) {
                assertTrue(Float.isNaN(y[i]), "tanh(NaN)");
                continue;
            }
            assertEquals(want, y[i], 2.5 * Math.ulp((float) want) + 1e-45, "tanh(" + x[i] + ")");
            assertEquals(Float.floatToIntBits(VMath.tanh(x[i])), Float.floatToIntBits(y[i]),
                    "vector and scalar tanh differ at " + x[i]);
        }
    }

    @Test
    void sumAddsLanesInAFixedTree() {
        int l = VMath.L;
        float[] v = new float[l];
        for (int i = 0; i < l; i++) {
            v[i] = (float) Math.pow(-1.7, i) * 1e-3f * (i + 1);
        }
        float want = 0;
        float[] t = v.clone();
        for (int h = l / 2; h >= 1; h /= 2) {
            for (int i = 0; i < h; i++) {
                t[i] = t[i] + t[i + h];
            }
        }
        want = t[0];
        assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(VMath.sum(FloatVector.fromArray(VMath.S, v, 0))));
    }

    @Test
    void expIsWithinTwoUlpsAndSaturates() {
        Random rnd = new Random(6);
        int n = 1027;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) ((rnd.nextDouble() * 2 - 1) * 90);
        }
        float[] specials = {0f, -0f, -87.2f, -87.4f, 88.6f, 88.8f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY,
            Float.NaN, 1e-30f};
        System.arraycopy(specials, 0, x, 0, specials.length);
        float[] shift = {0f};
        float[] y = new float[n];
        VMath.expShifted(x, 0, shift, 0, false, y, 0, n);
        for (int i = 0; i < n; i++) {
            if (Float.isNaN(x[i])) {
                assertTrue(Float.isNaN(y[i]), "exp(NaN)");
                continue;
            }
            double want = x[i] < -87.3f ? 0 : x[i] > 88.7f ? Double.POSITIVE_INFINITY : Math.exp(x[i]);
            if (Double.isInfinite(want)) {
                assertEquals(Float.POSITIVE_INFINITY, y[i], "exp(" + x[i] + ")");
            } else {
                assertEquals(want, y[i], 2.5 * Math.ulp((float) want), "exp(" + x[i] + ")");
            }
            assertEquals(Float.floatToIntBits(VMath.expClamped(x[i])), Float.floatToIntBits(y[i]),
                    "vector and scalar exp differ at " + x[i]);
        }
    }
}
