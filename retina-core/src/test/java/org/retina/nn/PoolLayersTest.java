package org.retina.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.retina.io.LayerRegistry;
import org.retina.tensor.Rng;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;
import org.retina.testing.GradientCheck;

/** The pooling layers' settings, summaries, counts and values beyond what the layer contract checks. */
class PoolLayersTest {

    @Test
    void strideDefaultsToTheKernel() {
        assertEquals(Shape.of(3, 2, 3), MaxPool2d.of(2).build(Shape.of(3, 4, 6)));
        assertEquals(Shape.of(3, 2, 2), AvgPool2d.of(2, 3).build(Shape.of(3, 4, 6)));
        for (String type : new String[] {"MaxPool2d", "AvgPool2d", "LpPool2d", "GaussianPool2d"}) {
            Layer layer = (Layer) LayerRegistry.create(type, Map.of("kernelSize", 3));
            assertEquals(Shape.of(1, 2, 3), layer.build(Shape.of(1, 6, 9)), type);
        }
    }

    @Test
    void summariesShowOnlyNonDefaults() {
        assertEquals("MaxPool2d(kernel=2)", MaxPool2d.of(2).toString());
        assertEquals("MaxPool2d(kernel=3, stride=2, padding=1, dilation=1x2, fit=ceil)",
                MaxPool2d.of(3).withStride(2).withPadding(1).withDilation(1, 2).withFit(Fit.CEIL).toString());
        assertEquals("AvgPool2d(kernel=3, stride=1, padding=1, countIncludePad=false)",
                AvgPool2d.of(3).withStride(1).withPadding(1).withCountIncludePad(false).toString());
        assertEquals("LpPool2d(kernel=2)", LpPool2d.of(2).toString());
        assertEquals("LpPool2d(normType=1.5, kernel=2x3, stride=1)",
                LpPool2d.of(2, 3).withNormType(1.5).withStride(1).toString());
        assertEquals("GaussianPool2d(kernel=3, fit=floor, sigma=0.5)",
                GaussianPool2d.of(3).withSigma(0.5).withFit(Fit.FLOOR).toString());
        assertEquals("GlobalAvgPool2d()", GlobalAvgPool2d.of().toString());
        assertEquals("GlobalMaxPool2d()", GlobalMaxPool2d.of().toString());
    }

    @Test
    void badSettingsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MaxPool2d.of(3).withPadding(2));
        assertEquals("MaxPool2d: padding 2 is more than half the kernel 3 (at most 1, as in PyTorch)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> AvgPool2d.of(2, 4).withPadding(Padding.of(0, 0, 3, 1)));
        assertTrue(e.getMessage().startsWith("AvgPool2d: padding (0, 0, 3, 1) is more than half the kernel 2x4"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> GaussianPool2d.of(3).withSigma(0));
        assertEquals("GaussianPool2d: sigma is 0.0, expected a finite number > 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LpPool2d.of(2).withNormType(Double.NaN));
        assertEquals("LpPool2d: normType is NaN, expected a finite number > 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MaxPool2d.of(0));
        assertEquals("MaxPool2d: kernel height is 0, expected >= 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> AvgPool2d.of(2).withStride(1, 0));
        assertEquals("AvgPool2d: stride width is 0, expected >= 1", e.getMessage());
    }

    @Test
    void macsAreComparisonsOrAddsPerSample() {
        Layer max = MaxPool2d.of(2);
        assertEquals(0, max.macs(), "before build");
        max.build(Shape.of(3, 4, 6));
        assertEquals(3 * 2 * 3 * 2 * 2, max.macs());
        Layer lp = LpPool2d.of(3, 2).withStride(1);
        lp.build(Shape.of(2, 5, 5));
        assertEquals(2 * 3 * 4 * 3 * 2, lp.macs());
        Layer global = GlobalAvgPool2d.of();
        global.build(Shape.of(3, 5, 3));
        assertEquals(3 * 5 * 3, global.macs());
    }

    @Test
    void floorCountsTheDroppedPixels() {
        Layer floor = MaxPool2d.of(2).withFit(Fit.FLOOR);
        floor.build(Shape.of(2, 5, 7));
        // the last row and the last column of each channel: 7 + 5 - 1 pixels
        assertEquals(2 * (7 + 5 - 1), floor.droppedInputPixels());
        Layer ceil = AvgPool2d.of(2).withFit(Fit.CEIL);
        ceil.build(Shape.of(2, 5, 7));
        assertEquals(0, ceil.droppedInputPixels());
    }

    @Test
    void evalForwardLeavesTheTrainingCacheAlone() {
        Rng rng = new Rng(31);
        for (java.util.function.Supplier<Layer> make : java.util.List.<java.util.function.Supplier<Layer>>of(
                () -> MaxPool2d.of(2), () -> LpPool2d.of(2), GlobalMaxPool2d::of)) {
            Layer a = make.get(), b = make.get();
            Shape out = a.build(Shape.of(2, 4, 4));
            b.build(Shape.of(2, 4, 4));
            Tensor x = GradientCheck.random(Tensor.zeros(2, 2, 4, 4), rng);
            Tensor other = GradientCheck.random(Tensor.zeros(3, 2, 4, 4), rng);
            Tensor gy = GradientCheck.random(Tensor.zeros(out.withBatch(2)), rng);
            a.forward(x, Mode.TRAIN);
            a.forward(other, Mode.EVAL);
            b.forward(x, Mode.TRAIN);
            assertArrayEquals(b.backward(gy).data(), a.backward(gy).data(), a.toString());
        }
    }

    @Test
    void globalPoolsAreTheChannelMeanAndMaximum() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, -1, -7, 0.5f, -2, -3, -4}, 1, 2, 3, 2);
        GlobalAvgPool2d avg = GlobalAvgPool2d.of();
        avg.build(Shape.of(2, 3, 2));
        // sums of small integers and halves are exact; one float32 division: 1e-6
        assertArrayEquals(new float[] {3.5f, -2.75f}, avg.forward(x, Mode.EVAL).data(), 1e-6f);
        GlobalMaxPool2d max = GlobalMaxPool2d.of();
        max.build(Shape.of(2, 3, 2));
        assertArrayEquals(new float[] {6, 0.5f}, max.forward(x, Mode.TRAIN).data());
        Tensor gx = max.backward(Tensor.of(new float[] {10, 20}, 1, 2, 1, 1));
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 10, 0, 0, 20, 0, 0, 0}, gx.data());
    }

    @Test
    void lpPoolFollowsPyTorchAtTheEdges() {
        // ceil mode over 3x3: the windows on the right and bottom keep 2 pixels of 4, the corner one 1 of 4.
        // PyTorch averages x^p over the pixels kept and multiplies by the kernel area: y = sqrt(4/kept * sum x^2)
        LpPool2d pool = LpPool2d.of(2).withFit(Fit.CEIL);
        assertEquals(Shape.of(1, 2, 2), pool.build(Shape.of(1, 3, 3)));
        Tensor x = Tensor.of(new float[] {
                0, 0, 3,
                0, 0, 4,
                1, 2, -3}, 1, 1, 3, 3);
        Tensor y = pool.forward(x, Mode.TRAIN);
        double right = Math.sqrt(2 * 25), bottom = Math.sqrt(2 * 5);
        // square roots in double, rounded once to float32
        assertArrayEquals(new float[] {0, (float) right, (float) bottom, 6}, y.data(), 1e-6f);
        // dy/dx = scale * x / y, and 0 (not NaN) under the all-zero window where y is 0
        Tensor gx = pool.backward(Tensor.full(Shape.of(1, 1, 2, 2), 1f));
        assertArrayEquals(new float[] {
                0, 0, (float) (2 * 3 / right),
                0, 0, (float) (2 * 4 / right),
                (float) (2 * 1 / bottom), (float) (2 * 2 / bottom), 4 * -3 / 6f}, gx.data(), 1e-6f);
    }
}
