package org.retina.seeds;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.retina.nn.Conv2d;
import org.retina.nn.Dense;
import org.retina.nn.Flatten;
import org.retina.nn.Layer;
import org.retina.nn.Mode;
import org.retina.nn.ReLU;
import org.retina.nn.ShapeException;
import org.retina.tensor.Parameter;
import org.retina.tensor.Rng;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;
import org.retina.testing.GradientCheck;

/** The worked examples of the tutorial texts, checked number by number. */
class SeedExamplesTest {

    /** A single-channel convolution with the given kernel and no bias, built for an h x w input. */
    private static Conv2d conv(float[] kernel, int k, int stride, int padding, int h, int w) {
        Conv2d c = Conv2d.of(1, k).withStride(stride).withPadding(padding).withBias(false);
        c.build(Shape.of(1, h, w));
        System.arraycopy(kernel, 0, c.weight().value().data(), 0, kernel.length);
        return c;
    }

    private static float[] run(Layer l, float[] x, int... dims) {
        return l.forward(Tensor.of(x, dims), Mode.EVAL).data();
    }

    @Test
    void seed001ReluMatrix() {
        ReLU relu = ReLU.of();
        relu.build(Shape.of(1, 4, 4));
        float[] in = {1, -1, -1, -4, 2, -2, 7, 3, -3, -7, -1, -4, 3, 5, 4, -6};
        float[] out = {1, 0, 0, 0, 2, 0, 7, 3, 0, 0, 0, 0, 3, 5, 4, 0};
        assertArrayEquals(out, run(relu, in, 1, 1, 4, 4));
    }

    private static final float[] FOUR_BY_FOUR = {1, 2, 3, 4, 4, 3, 2, 1, 1, 2, 3, 4, 4, 3, 2, 1};
    private static final float[] ONES3 = {1, 1, 1, 1, 1, 1, 1, 1, 1};

    @Test
    void seed001OnesKernelWithoutPadding() {
        assertArrayEquals(new float[] {21, 24, 24, 21}, run(conv(ONES3, 3, 1, 0, 4, 4), FOUR_BY_FOUR, 1, 1, 4, 4));
    }

    @Test
    void seed001OnesKernelWithZeroPadding() {
        float[] expected = {10, 15, 15, 10, 13, 21, 24, 17, 17, 24, 21, 13, 10, 15, 15, 10};
        assertArrayEquals(expected, run(conv(ONES3, 3, 1, 1, 4, 4), FOUR_BY_FOUR, 1, 1, 4, 4));
    }

    @Test
    void seed001KernelOfTwosStrideOneAndTwo() {
        float[] twos = {2, 2, 2, 2};
        float[] x = {1, 2, 4, 5};
        // the text prints 20 at row 1, column 2; the arithmetic gives 2*(2 + 0 + 5 + 0) = 14, which we assert
        float[] stride1 = {2, 6, 4, 10, 24, 14, 8, 18, 10};
        assertArrayEquals(stride1, run(conv(twos, 2, 1, 1, 2, 2), x, 1, 1, 2, 2));
        assertArrayEquals(new float[] {2, 4, 8, 10}, run(conv(twos, 2, 2, 1, 2, 2), x, 1, 1, 2, 2));
    }

    @Test
    void seed001FlattenOrder() {
        Flatten f = Flatten.of();
        assertEquals(Shape.of(9), f.build(Shape.of(1, 3, 3)));
        float[] m = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        assertArrayEquals(m, run(f, m, 1, 1, 3, 3));
        // a stack of matrices: the ones further back are appended after the first
        Flatten g = Flatten.of();
        g.build(Shape.of(2, 2, 2));
        float[] stack = {1, 2, 3, 4, 5, 6, 7, 8};
        assertArrayEquals(stack, run(g, stack, 1, 2, 2, 2));
    }

    @Test
    void seed004FiveByFiveExample() {
        float[] x = {3, 3, 2, 1, 0, 0, 0, 1, 3, 1, 3, 1, 2, 2, 3, 2, 0, 0, 2, 2, 2, 0, 0, 0, 1};
        float[] k = {0, 1, 2, 2, 2, 0, 0, 1, 2};
        float[] expected = {12, 12, 17, 10, 17, 19, 9, 6, 14};
        assertArrayEquals(expected, run(conv(k, 3, 1, 0, 5, 5), x, 1, 1, 5, 5));
    }

    @Test
    void seed003ElevenByElevenByFourWithStrideTwo() {
        Conv2d c = Conv2d.of(2, 5).withStride(2);
        assertEquals(Shape.of(2, 4, 4), c.build(Shape.of(4, 11, 11)));
        c.initialize(new Rng(1));
        Tensor x = GradientCheck.random(Tensor.zeros(1, 4, 11, 11), new Rng(2));
        Tensor v = c.forward(x, Mode.EVAL);
        // V[0,0,0] = sum(X[0:5, 0:5, :] * w0) + b0 and V[3,0,0] = sum(X[6:11, 0:5, :] * w0) + b0 (text's X[h, w, d])
        assertEquals(window(x, c, 0, 0), v.get(0, 0, 0, 0), 1e-5);
        assertEquals(window(x, c, 6, 0), v.get(0, 0, 3, 0), 1e-5);
    }

    private static double window(Tensor x, Conv2d c, int top, int left) {
        double s = c.bias().value().get(0);
        for (int d = 0; d < 4; d++) {
            for (int i = 0; i < 5; i++) {
                for (int j = 0; j < 5; j++) {
                    s += x.get(0, d, top + i, left + j) * c.weight().value().get(0, d, i, j);
                }
            }
        }
        return s;
    }

    @Test
    void seed003InvalidGeometryRaisesTheNamedError() {
        ShapeException e = assertThrows(ShapeException.class,
                () -> Conv2d.of(1, 3).withStride(2).build(Shape.of(1, 10, 10)));
        assertTrue(e.getMessage().contains("(10 - 3 + 0)/2 + 1 = 4.5 is not a whole number"), e.getMessage());
    }

    private static long params(Layer l, Shape in) {
        l.build(in);
        return l.parameters().stream().mapToLong(Parameter::size).sum();
    }

    @Test
    void seed002ParameterFormulas() {
        // conv: K^2 * C * N + N
        assertEquals(11 * 11 * 3 * 96 + 96, params(Conv2d.of(96, 11).withStride(4), Shape.of(3, 227, 227)));
        assertEquals(34_944, params(Conv2d.of(96, 11).withStride(4), Shape.of(3, 227, 227)));
        assertEquals(614_656, params(Conv2d.of(256, 5).withPadding(2), Shape.of(96, 27, 27)));
        assertEquals(885_120, params(Conv2d.of(384, 3).withPadding(1), Shape.of(256, 13, 13)));
        assertEquals(1_327_488, params(Conv2d.of(384, 3).withPadding(1), Shape.of(384, 13, 13)));
        assertEquals(884_992, params(Conv2d.of(256, 3).withPadding(1), Shape.of(384, 13, 13)));
        // fully connected after a conv volume: O^2 * N * F + F; after a dense layer: F_-1 * F + F
        assertEquals(37_752_832, params(Dense.of(4096), Shape.of(6 * 6 * 256)));
        assertEquals(16_781_312, params(Dense.of(4096), Shape.of(4096)));
        assertEquals(4_097_000, params(Dense.of(1000), Shape.of(4096)));
        // seed 002's "Why convolutions?" example: 6 filters of 5x5x3 have 456 parameters
        assertEquals(456, params(Conv2d.of(6, 5), Shape.of(3, 32, 32)));
    }
}
