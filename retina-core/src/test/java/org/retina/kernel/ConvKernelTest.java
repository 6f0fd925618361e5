package org.retina.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link ConvKernels} (every algorithm it picks) against {@link NaiveConv} on random and awkward geometries. */
class ConvKernelTest {

    /** A geometry with floor-mode output sizes; null when the window does not fit. */
    static ConvGeometry geometry(int inC, int h, int w, int outC, int kh, int kw, int sh, int sw, int pt, int pb,
                                 int pl, int pr, int dh, int dw, int groups) {
        int outH = (h + pt + pb - dh * (kh - 1) - 1) / sh + 1;
        int outW = (w + pl + pr - dw * (kw - 1) - 1) / sw + 1;
        if (h + pt + pb - dh * (kh - 1) < 1 || w + pl + pr - dw * (kw - 1) < 1) {
            return null;
        }
        return new ConvGeometry(inC, h, w, outC, outH, outW, kh, kw, sh, sw, pt, pb, pl, pr, dh, dw, groups);
    }

    private static float[] random(int n, Random rnd) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextFloat() * 2 - 1;
        }
        return x;
    }

    static void check(ConvGeometry g, int n, Random rnd) {
        float[] x = random(n * g.inSize(), rnd);
        float[] w = random(g.outC() * g.colRows(), rnd);
        float[] bias = rnd.nextBoolean() ? random(g.outC(), rnd) : null;
        float[] gy = random(n * g.outSize(), rnd);
        float[] y = random(n * g.outSize(), rnd);
        float[] yWant = new float[y.length];
        ConvKernels.forward(x, w, bias, y, n, g);
        NaiveConv.forward(x, w, bias, yWant, n, g);
        compare("forward", g, n, y, yWant, g.colRows());
        epilogue(x, w, bias, y, n, g);
        float[] gx = random(x.length, rnd);
        float[] gw = random(w.length, rnd);
        float[] gb = bias == null ? null : random(g.outC(), rnd);
        float[] gxWant = new float[x.length];
        float[] gwWant = gw.clone();
        float[] gbWant = gb == null ? null : gb.clone();
        ConvKernels.backwardData(gy, w, gx, n, g);
        ConvKernels.backwardWeights(x, gy, gw, gb, n, g);
        NaiveConv.backward(x, w, gy, gxWant, gwWant, gbWant, n, g);
        compare("backwardData", g, n, gx, gxWant, g.outC() * g.kH() * g.kW());
        compare("backwardWeights", g, n, gw, gwWant, n * g.outPlane());
        if (gb != null) {
            compare("bias", g, n, gb, gbWant, n * g.outPlane());
        }
    }

    /**
     * An epilogue applied by the kernel as it stores (whichever kernel that is) gives the bits of the same epilogue
     * applied in a pass over {@code y}, the kernel's output without it: every value finished once, with its channel.
     */
    private static void epilogue(float[] x, float[] w, float[] bias, float[] y, int n, ConvGeometry g) {
        Random rnd = new Random(31L * n + g.outSize());
        BlockKernels.Act[] acts = BlockKernels.Act.values();
        Epilogue e = new Epilogue(rnd.nextBoolean() ? random(g.outC(), rnd) : null,
                rnd.nextBoolean() ? random(g.outC(), rnd) : null, acts[rnd.nextInt(acts.length)]);
        float[] got = random(y.length, rnd);
        ConvKernels.forward(x, w, bias, got, n, g, e);
        float[] want = y.clone();
        e.planes(want, n, g.outC(), g.outPlane());
        assertArrayEquals(want, got, () -> "epilogue " + e.act() + " n=" + n + " " + g);
    }

    private static void compare(String what, ConvGeometry g, int n, float[] got, float[] want, int terms) {
        double tol = 1e-5 * Math.sqrt(terms) + 1e-6 * terms;
        for (int i = 0; i < got.length; i++) {
            if (!(Math.abs(got[i] - want[i]) <= tol * (1 + Math.abs(want[i])))) {
                fail(String.format("%s n=%d %s: [%d] got %g want %g", what, n, g, i, got[i], want[i]));
            }
        }
    }

    @Test
    void networkLayers() {
        Random rnd = new Random(1);
        check(geometry(1, 28, 28, 16, 5, 5, 1, 1, 2, 2, 2, 2, 1, 1, 1), 3, rnd);    // fashion-cnn conv1
        check(geometry(16, 14, 14, 32, 5, 5, 1, 1, 2, 2, 2, 2, 1, 1, 1), 3, rnd);   // fashion-cnn conv2
        check(geometry(1, 32, 32, 6, 5, 5, 1, 1, 0, 0, 0, 0, 1, 1, 1), 2, rnd);     // LeNet-5 c1
        check(geometry(6, 14, 14, 16, 5, 5, 1, 1, 0, 0, 0, 0, 1, 1, 1), 2, rnd);    // LeNet-5 c3
        check(geometry(16, 5, 5, 120, 5, 5, 1, 1, 0, 0, 0, 0, 1, 1, 1), 3, rnd);    // LeNet-5 c5: a dense layer
        check(geometry(8, 20, 20, 24, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1), 2, rnd);    // VGG-style, small
        check(geometry(8, 9, 40, 10, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1), 2, rnd);     // 1x1
    }

    @Test
    void randomGeometries() {
        Random rnd = new Random(2);
        int done = 0;
        while (done < 60) {
            int groups = 1 + rnd.nextInt(3);
            int inC = groups * (1 + rnd.nextInt(4));
            int outC = groups * (1 + rnd.nextInt(11));
            int kh = 1 + rnd.nextInt(5);
            int kw = 1 + rnd.nextInt(5);
            int stride = rnd.nextInt(4) == 0 ? 2 : 1;
            int dil = rnd.nextInt(4) == 0 ? 2 : 1;
            ConvGeometry g = geometry(inC, 1 + rnd.nextInt(30), 1 + rnd.nextInt(40), outC, kh, kw, stride,
                    rnd.nextInt(5) == 0 ? 1 : stride, rnd.nextInt(3), rnd.nextInt(3), rnd.nextInt(3),
                    rnd.nextInt(3), dil, rnd.nextInt(3) == 0 ? 2 : dil, groups);
            if (g == null) {
                continue;
            }
            check(g, 1 + rnd.nextInt(4), rnd);
            done++;
        }
    }

    @Test
    void pointwise() {
        Random rnd = new Random(5);
        check(geometry(12, 16, 16, 18, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 3), 3, rnd);   // planes large enough alone
        check(geometry(8, 4, 4, 16, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 2), 5, rnd);      // small planes side by side
        check(geometry(6, 2, 3, 10, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1), 7, rnd);
        check(geometry(40, 7, 7, 24, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1), 1, rnd);     // one sample
        check(geometry(5, 6, 6, 7, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1), 70, rnd);      // three chunks of samples
    }

    @Test
    void smallPlanesSideBySide() {
        Random rnd = new Random(6);
        check(geometry(4, 6, 6, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1), 70, rnd);      // three chunks of samples
        check(geometry(6, 4, 4, 12, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 2), 9, rnd);      // CIFAR ResNet's last stage
        check(geometry(3, 9, 9, 5, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1), 40, rnd);      // strided, two chunks
    }

    @Test
    void depthwise() {
        Random rnd = new Random(4);
        check(geometry(32, 112, 112, 32, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 32), 1, rnd);  // MobileNet v2, first block
        check(geometry(24, 28, 28, 24, 3, 3, 2, 2, 0, 1, 0, 1, 1, 1, 24), 2, rnd);    // TF-style "same", stride 2
        check(geometry(16, 7, 7, 16, 5, 5, 1, 1, 2, 2, 2, 2, 1, 1, 16), 2, rnd);      // EfficientNet's 5x5
        check(geometry(6, 14, 14, 6, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 6), 3, rnd);      // stride 2 on an even plane
        check(geometry(1, 9, 9, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1), 2, rnd);        // one channel
        int done = 0;
        while (done < 60) {
            int c = 1 + rnd.nextInt(6);
            int kh = 1 + rnd.nextInt(5);
            int kw = 1 + rnd.nextInt(5);
            int sh = 1 + rnd.nextInt(3);
            int sw = rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(3) : sh;
            ConvGeometry g = geometry(c, 1 + rnd.nextInt(30), 1 + rnd.nextInt(40), c, kh, kw, sh, sw,
                    rnd.nextInt(4), rnd.nextInt(4), rnd.nextInt(4), rnd.nextInt(4), 1 + rnd.nextInt(2),
                    1 + rnd.nextInt(3), c);
            if (g == null) {
                continue;
            }
            check(g, 1 + rnd.nextInt(4), rnd);
            done++;
        }
    }

    @Test
    void largeBatchUsesEveryThreadChunk() {
        check(geometry(3, 12, 17, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1), 37, new Random(3));
    }
}
