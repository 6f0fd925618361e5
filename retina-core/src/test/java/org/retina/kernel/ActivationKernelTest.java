package org.retina.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.retina.tensor.Rng;

/** Softmax and log-softmax over the channels of {@code (outer, channels, inner)} against their definition. */
class ActivationKernelTest {

    /** The twin: softmax over channel {@code c} at inner index {@code i}, in double, the textbook way. */
    private static double naiveSoftmax(float[] x, int o, int channels, int inner, int c, int i) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < channels; k++) {
            max = Math.max(max, x[(o * channels + k) * inner + i]);
        }
        double sum = 0;
        for (int k = 0; k < channels; k++) {
            sum += Math.exp(x[(o * channels + k) * inner + i] - max);
        }
        return Math.exp(x[(o * channels + c) * inner + i] - max) / sum;
    }

    @Test
    void softmaxPerPixelMatchesTheDefinition() {
        check(3, 5, 7);
        // whole vectors of pixels, and one row of many classes
        check(2, 4, 37);
        check(5, 100, 1);
    }

    private static void check(int outer, int channels, int inner) {
        Rng rng = new Rng(31);
        float[] x = new float[outer * channels * inner];
        for (int i = 0; i < x.length; i++) {
            // a shift of hundreds per element: exp without the max subtracted would overflow
            x[i] = (rng.nextFloat() * 2f - 1f) * 4f + 300f * (i % 3);
        }
        float[] y = new float[x.length];
        float[] logY = new float[x.length];
        Activations.softmax(x, y, outer, channels, inner);
        Activations.logSoftmax(x, logY, outer, channels, inner);
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                double total = 0;
                for (int c = 0; c < channels; c++) {
                    int at = (o * channels + c) * inner + i;
                    double want = naiveSoftmax(x, o, channels, inner, c, i);
                    // probabilities below 1 computed with a float32 exp argument: a few ulps of 1, 1e-6
                    assertEquals(want, y[at], 1e-6, "softmax at " + at);
                    assertTrue(Double.isFinite(logY[at]), "log-softmax at " + at + " is " + logY[at]);
                    // log-probabilities are differences of values up to ~600: float32 spacing there is 6e-5
                    assertEquals(Math.log(want), logY[at], 2e-4 + 1e-6 * Math.abs(Math.log(want)),
                            "log-softmax at " + at);
                    total += y[at];
                }
                assertEquals(1.0, total, 1e-6, "probabilities of pixel " + o + "/" + i + " sum to 1");
            }
        }
    }
}
