package org.retina.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link PoolKernels} against {@link NaivePool} on a few hundred seeded random shapes and geometries. */
class PoolKernelTest {
    private static final int CONFIGS = 300;

    /**
     * A random geometry with asymmetric padding up to half the kernel, dilation, stride, and sometimes one more
     * output than floor gives (a window hanging over the edge, as in ceil mode); every window reads an input pixel.
     */
    private static ConvGeometry randomGeometry(SplittableRandom r) {
        while (true) {
            int c = 1 + r.nextInt(3);
            int inH = 1 + r.nextInt(8), inW = 1 + r.nextInt(8);
            int kH = 1 + r.nextInt(4), kW = 1 + r.nextInt(4);
            int sH = 1 + r.nextInt(3), sW = 1 + r.nextInt(3);
            int dH = 1 + r.nextInt(2), dW = 1 + r.nextInt(2);
            int pt = r.nextInt(kH / 2 + 1), pb = r.nextInt(kH / 2 + 1);
            int pl = r.nextInt(kW / 2 + 1), pr = r.nextInt(kW / 2 + 1);
            int spanH = inH + pt + pb - dH * (kH - 1) - 1, spanW = inW + pl + pr - dW * (kW - 1) - 1;
            if (spanH < 0 || spanW < 0) {
                continue;
            }
            int outH = spanH / sH + 1 + (spanH % sH != 0 && r.nextInt(2) == 0 ? 1 : 0);
            int outW = spanW / sW + 1 + (spanW % sW != 0 && r.nextInt(2) == 0 ? 1 : 0);
            ConvGeometry g = new ConvGeometry(c, inH, inW, c, outH, outW, kH, kW, sH, sW, pt, pb, pl, pr, dH, dW, c);
            if (everyWindowReadsInput(g)) {
                return g;
            }
        }
    }

    private static boolean everyWindowReadsInput(ConvGeometry g) {
        return axisReads(g.inH(), g.outH(), g.kH(), g.strideH(), g.dilationH(), g.padTop())
                && axisReads(g.inW(), g.outW(), g.kW(), g.strideW(), g.dilationW(), g.padLeft());
    }

    private static boolean axisReads(int in, int out, int k, int s, int d, int lo) {
        for (int o = 0; o < out; o++) {
            boolean reads = false;
            for (int j = 0; j < k; j++) {
                int at = o * s - lo + j * d;
                reads |= at >= 0 && at < in;
            }
            if (!reads) {
                return false;
            }
        }
        return true;
    }

    private static float[] uniform(int size, SplittableRandom r, float lo, float hi) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            a[i] = lo + (hi - lo) * r.nextFloat();
        }
        return a;
    }

    /** Few distinct levels, so windows hold ties; sometimes a NaN or a -inf. */
    private static float[] tiesAndSpecials(int size, SplittableRandom r) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            int pick = r.nextInt(40);
            a[i] = pick == 0 ? Float.NaN : pick == 1 ? Float.NEGATIVE_INFINITY : r.nextInt(4) / 4f;
        }
        return a;
    }

    /** {@code |got - ref| <= rel * max(1, |ref|)} elementwise; NaN matches NaN. */
    private static void assertClose(String what, float[] ref, float[] got, double rel) {
        assertEquals(ref.length, got.length, what + ": length");
        for (int i = 0; i < ref.length; i++) {
            if (Float.isNaN(ref[i]) && Float.isNaN(got[i])) {
                continue;
            }
            if (!(Math.abs(got[i] - ref[i]) <= rel * Math.max(1, Math.abs(ref[i])))) {
                fail(what + " [" + i + "]: got " + got[i] + ", expected " + ref[i]);
            }
        }
    }

    @Test
    void maxMatchesNaiveIncludingTiesAndNaN() {
        SplittableRandom r = new SplittableRandom(11);
        for (int t = 0; t < CONFIGS; t++) {
            ConvGeometry g = randomGeometry(r);
            int n = 1 + r.nextInt(2);
            float[] x = t % 2 == 0 ? uniform(n * g.inSize(), r, -1, 1) : tiesAndSpecials(n * g.inSize(), r);
            float[] gy = uniform(n * g.outSize(), r, -1, 1);
            float[] y = new float[n * g.outSize()], yRef = new float[y.length];
            int[] arg = new int[y.length], argRef = new int[y.length];
            PoolKernels.maxForward(x, y, arg, n, g);
            NaivePool.maxForward(x, yRef, argRef, n, g);
            String what = "config " + t + " " + g;
            // the same comparisons in the same order: bit-identical
            assertArrayEquals(yRef, y, what);
            assertArrayEquals(argRef, arg, what);
            float[] yEval = new float[y.length];
            PoolKernels.maxForward(x, yEval, null, n, g);
            assertArrayEquals(yRef, yEval, what + " without arg-max");
            float[] gx = uniform(n * g.inSize(), r, -1, 1), gxRef = new float[gx.length];
            PoolKernels.maxBackward(gy, arg, gx, n, g);
            NaivePool.maxBackward(gy, argRef, gxRef, n, g);
            assertArrayEquals(gxRef, gx, what + " gx");
        }
    }

    /**
     * Inference's stride-2 rows on vectors (SqueezeNet's 3x3 pools, ResNet's stem): planes wide enough for several
     * vectors of outputs, padding, ceil mode's extra output, ties and NaN; the same bits as the scan.
     */
    @Test
    void strideTwoRowsOnVectorsMatchNaive() {
        for (Engine.Vectors v : Engine.Vectors.values()) {
            Engine e = Engine.cpu(2, v);
            try {
                e.call(() -> {
                    strideTwoRows(new SplittableRandom(17));
                    return null;
                });
            } finally {
                e.close();
            }
        }
    }

    private static void strideTwoRows(SplittableRandom r) {
        int[][] cases = {{111, 3, 0, 1}, {112, 3, 1, 0}, {55, 3, 0, 1}, {70, 2, 0, 0}, {97, 4, 2, 0}, {64, 1, 0, 0}};
        for (int[] q : cases) {
            int w = q[0], k = q[1], pad = q[2], ceil = q[3];
            int span = w + 2 * pad - k;
            int out = span / 2 + 1 + (ceil == 1 && span % 2 != 0 ? 1 : 0);
            ConvGeometry g = new ConvGeometry(2, 9, w, 2, 4, out, 3, k, 2, 2, 0, 0, pad, pad, 1, 1, 2);
            for (int t = 0; t < 2; t++) {
                int n = 2;
                float[] x = t == 0 ? uniform(n * g.inSize(), r, -1, 1) : tiesAndSpecials(n * g.inSize(), r);
                float[] y = new float[n * g.outSize()], yRef = new float[y.length];
                PoolKernels.maxForward(x, y, null, n, g);
                NaivePool.maxForward(x, yRef, new int[y.length], n, g);
                assertArrayEquals(yRef, y, "stride 2 " + g + " case " + t);
            }
        }
    }

    /** The vectorized 2x2, stride-2 path: wide planes, odd sizes (a dropped last row and column), ties, NaN. */
    @Test
    void twoByTwoFastPathMatchesNaive() {
        SplittableRandom r = new SplittableRandom(13);
        int[][] sizes = {{28, 28}, {14, 14}, {7, 9}, {33, 70}, {2, 2}, {5, 35}, {10, 10}};
        for (int[] hw : sizes) {
            int c = 3;
            ConvGeometry g = new ConvGeometry(c, hw[0], hw[1], c, hw[0] / 2, hw[1] / 2, 2, 2, 2, 2, 0, 0, 0, 0, 1, 1, c);
            for (int t = 0; t < 2; t++) {
                int n = 2;
                float[] x = t == 0 ? uniform(n * g.inSize(), r, -1, 1) : tiesAndSpecials(n * g.inSize(), r);
                float[] gy = uniform(n * g.outSize(), r, -1, 1);
                float[] y = new float[n * g.outSize()], yRef = new float[y.length];
                int[] arg = new int[y.length], argRef = new int[y.length];
                PoolKernels.maxForward(x, y, arg, n, g);
                NaivePool.maxForward(x, yRef, argRef, n, g);
                String what = "2x2 " + g + " case " + t;
                assertArrayEquals(yRef, y, what);
                assertArrayEquals(argRef, arg, what);
                float[] gx = uniform(n * g.inSize(), r, -1, 1), gxRef = new float[gx.length];
                PoolKernels.maxBackward(gy, arg, gx, n, g);
                NaivePool.maxBackward(gy, argRef, gxRef, n, g);
                assertArrayEquals(gxRef, gx, what + " gx");
                float[] ya = new float[y.length], yaRef = new float[y.length];
                PoolKernels.avgForward(x, null, ya, n, g, true);
                NaivePool.avgForward(x, null, yaRef, n, g, true);
                assertArrayEquals(yaRef, ya, what + " avg");
                float[] ga = uniform(n * g.inSize(), r, -1, 1), gaRef = new float[ga.length];
                PoolKernels.avgBackward(gy, null, ga, n, g, true);
                NaivePool.avgBackward(gy, null, gaRef, n, g, true);
                assertArrayEquals(gaRef, ga, what + " avg gx");
            }
        }
    }

    @Test
    void averagesMatchNaive() {
        SplittableRandom r = new SplittableRandom(12);
        for (int t = 0; t < CONFIGS; t++) {
            ConvGeometry g = randomGeometry(r);
            int n = 1 + r.nextInt(2);
            boolean include = r.nextInt(2) == 0;
            float[] w = null;
            if (t % 3 == 0) {
                w = new float[g.kH() * g.kW()];
                PoolKernels.gaussianWeights(g.kH(), g.kW(), 0.5 + r.nextDouble(), w);
            }
            float[] x = uniform(n * g.inSize(), r, -1, 1);
            float[] gy = uniform(n * g.outSize(), r, -1, 1);
            float[] y = new float[n * g.outSize()], yRef = new float[y.length];
            PoolKernels.avgForward(x, w, y, n, g, include);
            NaivePool.avgForward(x, w, yRef, n, g, include);
            String what = "config " + t + " " + g + (w == null ? "" : " gaussian") + (include ? "" : " exclude-pad");
            // the same float sums in the same order; the divisor is a float count or a sum of weights that is 1
            // to within a few float32 ulps: 1e-6 relative
            assertClose(what + " y", yRef, y, 1e-6);
            float[] gx = uniform(n * g.inSize(), r, -1, 1), gxRef = new float[gx.length];
            PoolKernels.avgBackward(gy, w, gx, n, g, include);
            NaivePool.avgBackward(gy, w, gxRef, n, g, include);
            assertClose(what + " gx", gxRef, gx, 1e-6);
        }
    }

    @Test
    void powerAveragesMatchNaive() {
        SplittableRandom r = new SplittableRandom(13);
        double[] powers = {1, 1.5, 2, 3, 4};
        for (int t = 0; t < CONFIGS; t++) {
            ConvGeometry g = randomGeometry(r);
            int n = 1 + r.nextInt(2);
            double p = powers[r.nextInt(powers.length)];
            // odd and fractional powers of negative numbers are NaN (as in PyTorch): positive inputs for those
            float[] x = p == 2 || p == 4 ? uniform(n * g.inSize(), r, -1, 1) : uniform(n * g.inSize(), r, 0.05f, 1);
            float[] gy = uniform(n * g.outSize(), r, -1, 1);
            float[] y = new float[n * g.outSize()], yRef = new float[y.length];
            PoolKernels.lpForward(x, y, n, g, p);
            NaivePool.lpForward(x, yRef, n, g, p);
            String what = "config " + t + " " + g + " p " + p;
            // both in double, rounded once to float32; the scale is applied in another order: 1e-6 relative
            assertClose(what + " y", yRef, y, 1e-6);
            float[] gx = uniform(n * g.inSize(), r, -1, 1), gxRef = new float[gx.length];
            PoolKernels.lpBackward(x, gy, gx, n, g, p);
            NaivePool.lpBackward(x, gy, gxRef, n, g, p);
            // float32 sums of up to 16 double-computed terms (overlapping windows) in the same order: 1e-5
            assertClose(what + " gx", gxRef, gx, 1e-5);
        }
    }

    private static ConvGeometry plane(int h, int w, int k, int s, int pad) {
        int out = (h + 2 * pad - k) / s + 1, outW = (w + 2 * pad - k) / s + 1;
        return new ConvGeometry(1, h, w, 1, out, outW, k, k, s, s, pad, pad, pad, pad, 1, 1, 1);
    }

    @Test
    void maxTieGoesToTheFirstInScanOrder() {
        float[] y = new float[1];
        int[] arg = new int[1];
        PoolKernels.maxForward(new float[] {1, 3, 3, 2}, y, arg, 1, plane(2, 2, 2, 2, 0));
        assertEquals(3f, y[0]);
        assertEquals(1, arg[0]);
    }

    @Test
    void maxNaNPropagates() {
        float[] y = new float[1];
        int[] arg = new int[1];
        PoolKernels.maxForward(new float[] {1, Float.NaN, 5, 2}, y, arg, 1, plane(2, 2, 2, 2, 0));
        assertTrue(Float.isNaN(y[0]));
        assertEquals(1, arg[0]);
    }

    @Test
    void maxOfMinusInfinityPointsAtTheFirstInputPixel() {
        float inf = Float.NEGATIVE_INFINITY;
        float[] y = new float[4];
        int[] arg = new int[4];
        // 2x2 input, kernel 2, stride 1, padding 1: the top-left window holds padding and pixel (0, 0) only
        PoolKernels.maxForward(new float[] {inf, inf, inf, inf}, y, arg, 1, plane(2, 2, 2, 2, 1));
        assertArrayEquals(new float[] {inf, inf, inf, inf}, y);
        assertArrayEquals(new int[] {0, 1, 2, 3}, arg);
    }

    @Test
    void gaussianWeightsByHand() {
        float[] w = new float[9];
        PoolKernels.gaussianWeights(3, 3, 1.0, w);
        double edge = Math.exp(-0.5), corner = Math.exp(-1), z = 1 + 4 * edge + 4 * corner;
        double[] expected = {corner, edge, corner, edge, 1, edge, corner, edge, corner};
        for (int i = 0; i < 9; i++) {
            // one float32 rounding of a double: 1e-7 absolute for values below 1
            assertEquals(expected[i] / z, w[i], 1e-7, "weight " + i);
        }
        float[] even = new float[4];
        PoolKernels.gaussianWeights(2, 2, 0.3, even);
        assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f, 0.25f}, even, "a 2x2 kernel's centre is between its taps");
    }
}
