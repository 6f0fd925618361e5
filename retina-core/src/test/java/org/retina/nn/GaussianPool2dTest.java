package org.retina.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/** GaussianPool2d's values worked out by hand. */
class GaussianPool2dTest {

    @Test
    void oneWindowByHand() {
        // 3x3 kernel, sigma 1: centre weight 1, edges e^-1/2, corners e^-1, over their sum
        double edge = Math.exp(-0.5), corner = Math.exp(-1), z = 1 + 4 * edge + 4 * corner;
        GaussianPool2d pool = GaussianPool2d.of(3);
        assertEquals(Shape.of(1, 1, 1), pool.build(Shape.of(1, 3, 3)));
        Tensor x = Tensor.of(new float[] {
                1, 2, 0,
                0, 4, 0,
                0, 0, 3}, 1, 1, 3, 3);
        float y = pool.forward(x, Mode.EVAL).data()[0];
        double expected = (1 * corner + 2 * edge + 4 * 1 + 3 * corner) / z;
        // float32 weights and sum of 9 terms: a few ulps of a value near 1
        assertEquals(expected, y, 1e-6);
    }

    @Test
    void constantInputGivesTheConstant() {
        // the weights sum to 1, and a ceil-mode window hanging over the edge is renormalised over what it keeps
        for (GaussianPool2d pool : new GaussianPool2d[] {
                GaussianPool2d.of(3).withStride(1),
                GaussianPool2d.of(3, 2).withSigma(0.6).withStride(2, 1),
                GaussianPool2d.of(3).withStride(2).withFit(Fit.CEIL)}) {
            Shape out = pool.build(Shape.of(2, 7, 6));
            Tensor y = pool.forward(Tensor.full(Shape.of(2, 2, 7, 6), 3.25f), Mode.EVAL);
            assertEquals(out.withBatch(2), y.shape());
            for (float v : y.data()) {
                // a weighted sum of up to 9 float32 terms: a few ulps of 3.25
                assertEquals(3.25f, v, 2e-6, pool.toString());
            }
        }
    }

    @Test
    void weightsSumToOneAndAreNoParameters() {
        GaussianPool2d pool = GaussianPool2d.of(5, 4).withSigma(1.7);
        pool.build(Shape.of(1, 5, 8));
        double sum = 0;
        for (float w : pool.weights()) {
            sum += w;
        }
        // twenty float32 roundings of values below 1
        assertEquals(1.0, sum, 1e-6);
        assertTrue(pool.parameters().isEmpty());
    }

    @Test
    void zeroPaddingCounts() {
        // 1x1 input, kernel 3, padding 1: the one pixel sits at the centre, the eight padding zeros count
        GaussianPool2d pool = GaussianPool2d.of(3).withPadding(1);
        assertEquals(Shape.of(1, 1, 1), pool.build(Shape.of(1, 1, 1)));
        double z = 1 + 4 * Math.exp(-0.5) + 4 * Math.exp(-1);
        assertEquals(5 / z, pool.forward(Tensor.of(new float[] {5}, 1, 1, 1, 1), Mode.EVAL).data()[0], 1e-6);
    }
}
