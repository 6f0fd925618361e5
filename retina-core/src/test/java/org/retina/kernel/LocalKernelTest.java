package org.retina.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.retina.tensor.Rng;

/** {@link LocalKernels} against {@link NaiveLocal} on random geometries with strides and asymmetric padding. */
class LocalKernelTest {

    private static float[] random(int size, Rng rng) {
        float[] a = new float[size];
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.nextFloat() * 2f - 1f;
        }
        return a;
    }

    // float32 sums of at most 3*3*3 = 27 (or batch 3 for weights) products below 1 in magnitude, against double:
    // rounding stays near sqrt(27) * 2^-24 * 27 = 8e-6; 1e-4 leaves a wide margin and still catches a lost term
    private static final double TOLERANCE = 1e-4;

    private static void assertClose(String what, double[] want, float[] got) {
        assertEquals(want.length, got.length, what + " size");
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], TOLERANCE, what + " [" + i + "]");
        }
    }

    @Test
    void matchesTheDefinition() {
        Rng rng = new Rng(21);
        for (int trial = 0; trial < 40; trial++) {
            int inC = 1 + rng.nextInt(3), outC = 1 + rng.nextInt(3), n = 1 + rng.nextInt(3);
            int kH = 1 + rng.nextInt(3), kW = 1 + rng.nextInt(3), sH = 1 + rng.nextInt(2), sW = 1 + rng.nextInt(2);
            int padTop = rng.nextInt(2), padBottom = rng.nextInt(2), padLeft = rng.nextInt(2), padRight = rng.nextInt(2);
            int inH = kH + rng.nextInt(5), inW = kW + rng.nextInt(5);
            int outH = (inH + padTop + padBottom - kH) / sH + 1, outW = (inW + padLeft + padRight - kW) / sW + 1;
            ConvGeometry g = new ConvGeometry(inC, inH, inW, outC, outH, outW, kH, kW, sH, sW, padTop, padBottom,
                    padLeft, padRight, 1, 1, 1);
            String what = "trial " + trial + " " + g;
            float[] x = random(n * g.inSize(), rng);
            float[] w = random(g.outPlane() * outC * g.colRows(), rng);
            float[] b = random(g.outSize(), rng);
            float[] gy = random(n * g.outSize(), rng);

            float[] y = new float[n * g.outSize()];
            LocalKernels.forward(x, w, b, y, n, g);
            assertClose(what + " y", NaiveLocal.forward(x, w, b, n, g), y);

            float[] gx = random(n * g.inSize(), rng);
            LocalKernels.backwardData(gy, w, gx, n, g);
            assertClose(what + " gx", NaiveLocal.gradInput(gy, w, n, g), gx);

            float[] gw = new float[w.length];
            float[] gb = new float[b.length];
            LocalKernels.backwardWeights(x, gy, gw, gb, n, g);
            assertClose(what + " gw", NaiveLocal.gradWeight(x, gy, n, g), gw);
            assertClose(what + " gb", NaiveLocal.gradBias(gy, n, g), gb);
        }
    }
}
