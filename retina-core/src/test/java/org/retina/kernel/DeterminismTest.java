package org.retina.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Results depend on the thread count only: the same call gives the same bits every time, and products whose every
 * element one thread sums (GEMM, forward convolution, backward data) give the same bits whatever the count.
 */
class DeterminismTest {

    private static final Engine[] ENGINES = {Engine.cpu(1), Engine.cpu(2), Engine.cpu(3)};

    @AfterAll
    static void close() {
        for (Engine e : ENGINES) {
            e.close();
        }
    }

    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextFloat() * 2 - 1;
        }
        return x;
    }

    /** Forward, backward data and backward weights of one convolution, concatenated. */
    private static float[] conv(ConvGeometry g, int n) {
        float[] x = random(n * g.inSize(), 1);
        float[] w = random(g.outC() * g.colRows(), 2);
        float[] gy = random(n * g.outSize(), 3);
        float[] y = new float[n * g.outSize()];
        float[] gx = new float[x.length];
        float[] gw = new float[w.length];
        float[] gb = new float[g.outC()];
        ConvKernels.forward(x, w, gb, y, n, g);
        ConvKernels.backwardData(gy, w, gx, n, g);
        ConvKernels.backwardWeights(x, gy, gw, gb, n, g);
        float[] all = new float[y.length + gx.length + gw.length + gb.length];
        System.arraycopy(y, 0, all, 0, y.length);
        System.arraycopy(gx, 0, all, y.length, gx.length);
        System.arraycopy(gw, 0, all, y.length + gx.length, gw.length);
        System.arraycopy(gb, 0, all, y.length + gx.length + gw.length, gb.length);
        return all;
    }

    private static float[] gemm(int m, int n, int k) {
        float[] c = new float[m * n];
        Gemm.sgemm(false, true, m, n, k, random(m * k, 4), 0, k, random(n * k, 5), 0, k, c, 0, n, false);
        return c;
    }

    @Test
    void sameThreadsSameBits() {
        ConvGeometry[] gs = {
            new ConvGeometry(16, 14, 14, 32, 14, 14, 5, 5, 1, 1, 2, 2, 2, 2, 1, 1, 1),
            new ConvGeometry(1, 28, 28, 16, 28, 28, 5, 5, 1, 1, 2, 2, 2, 2, 1, 1, 1),
            new ConvGeometry(8, 15, 15, 12, 7, 7, 3, 3, 2, 2, 0, 0, 0, 0, 1, 1, 1),
        };
        for (Engine e : ENGINES) {
            e.run(() -> {
                for (ConvGeometry g : gs) {
                    float[] first = conv(g, 13);
                    for (int again = 0; again < 3; again++) {
                        assertArrayEquals(first, conv(g, 13), e.threads() + " threads, " + g);
                    }
                }
            });
        }
    }

    @Test
    void productsDoNotDependOnTheThreadCount() {
        ConvGeometry g = new ConvGeometry(16, 14, 14, 32, 14, 14, 5, 5, 1, 1, 2, 2, 2, 2, 1, 1, 1);
        float[] gemm = ENGINES[0].call(() -> gemm(300, 200, 150));
        float[] one = ENGINES[0].call(() -> conv(g, 9));
        for (Engine e : new Engine[] {ENGINES[1], ENGINES[2]}) {
            assertArrayEquals(gemm, e.call(() -> gemm(300, 200, 150)), "GEMM on " + e.threads() + " threads");
            float[] many = e.call(() -> conv(g, 9));
            int products = 9 * g.outSize() + 9 * g.inSize();
            assertArrayEquals(java.util.Arrays.copyOf(one, products), java.util.Arrays.copyOf(many, products),
                    "forward and backward data on " + e.threads() + " threads");
        }
    }
}
