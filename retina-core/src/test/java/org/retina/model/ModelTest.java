package org.retina.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.retina.nn.Conv2d;
import org.retina.nn.Mode;
import org.retina.nn.ReLU;
import org.retina.nn.ShapeException;
import org.retina.tensor.Parameter;
import org.retina.tensor.Rng;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;
import org.retina.testing.GradientCheck;

class ModelTest {

    private static Sequential twoConvs() {
        return Sequential.builder().add("conv1", Conv2d.of(3, 3).withPadding(1))
                .add("conv2", Conv2d.of(2, 3).withStride(2)).build();
    }

    @Test
    void buildChecksEveryGeometryAndNamesTheLayer() {
        Sequential m = twoConvs();
        ShapeException e = assertThrows(ShapeException.class, () -> m.build(Shape.of(1, 6, 6)));
        assertEquals("Conv2d 'conv2': input 6x6, kernel 3, stride 2, padding 0 -> (6 - 3 + 0)/2 + 1 = 2.5 is not a"
                + " whole number (choose another stride or padding, or fit pad-to-fit or floor)", e.getMessage());
        m.build(Shape.of(1, 7, 7));
        assertEquals(Shape.of(2, 3, 3), m.outputShape());
    }

    @Test
    void parametersArePathNamedInOrder() {
        Sequential m = twoConvs();
        m.build(Shape.of(1, 7, 7));
        assertEquals(List.of("conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias"),
                List.copyOf(m.namedParameters().keySet()));
        Sequential unnamed = Sequential.of(Conv2d.of(2, 1), Conv2d.of(2, 1));
        unnamed.build(Shape.of(1, 2, 2));
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias"),
                List.copyOf(unnamed.namedParameters().keySet()));
    }

    @Test
    void sameSeedSameWeightsOtherSeedOther() {
        Sequential a = twoConvs();
        Sequential b = twoConvs();
        Sequential c = twoConvs();
        a.build(Shape.of(1, 7, 7), 7);
        b.build(Shape.of(1, 7, 7), 7);
        c.build(Shape.of(1, 7, 7), 8);
        float[] wa = a.namedParameters().get("conv2.weight").value().data();
        assertArrayEquals(wa, b.namedParameters().get("conv2.weight").value().data());
        assertFalse(java.util.Arrays.equals(wa, c.namedParameters().get("conv2.weight").value().data()));
    }

    @Test
    void backwardMatchesFiniteDifferences() {
        Sequential m = twoConvs();
        m.build(Shape.of(2, 7, 7), 3);
        Rng rng = new Rng(11);
        Tensor x = GradientCheck.random(Tensor.zeros(2, 2, 7, 7), rng);
        Tensor y = m.forward(x, Mode.TRAIN);
        Tensor r = GradientCheck.random(y, rng);
        Tensor gx = m.backward(r);
        // float32 forward, double sums: step 1e-2, relative tolerance 1e-2 (see GradientCheck)
        GradientCheck.check("input", x, gx, () -> GradientCheck.dot(m.forward(x, Mode.TRAIN), r), 1e-2, 1e-2);
        Parameter w = m.namedParameters().get("conv1.weight");
        Tensor gw = w.grad().copy();
        GradientCheck.check("conv1.weight", w.value(), gw, () -> GradientCheck.dot(m.forward(x, Mode.TRAIN), r),
                1e-2, 1e-2);
    }

    @Test
    void freezeUntilStopsAtTheNamedLayer() {
        Sequential m = twoConvs();
        m.build(Shape.of(1, 7, 7));
        m.freezeUntil("conv1");
        assertFalse(m.namedParameters().get("conv1.weight").trainable());
        assertTrue(m.namedParameters().get("conv2.weight").trainable());
        assertEquals(m.summary().nonTrainableParameters(), 3 * 9 + 3);
        m.unfreezeAll();
        assertEquals(0, m.summary().nonTrainableParameters());
    }

    @Test
    void graphRejectsUnknownInputsAndDuplicates() {
        Graph.Builder b = Graph.builder();
        b.add("a", Conv2d.of(1, 1), Model.INPUT);
        b.add("b", Conv2d.of(1, 1), "missing");
        assertThrows(IllegalArgumentException.class, () -> b.build("b"));
        Graph.Builder d = Graph.builder();
        d.add("a", Conv2d.of(1, 1), Model.INPUT);
        d.add("a", Conv2d.of(1, 1), "a");
        assertThrows(IllegalArgumentException.class, () -> d.build("a"));
    }

    @Test
    void predictInBatchesEqualsOneForward() {
        Sequential m = twoConvs();
        m.build(Shape.of(2, 7, 7));
        Tensor x = GradientCheck.random(Tensor.zeros(5, 2, 7, 7), new Rng(3));
        assertArrayEquals(m.forward(x, Mode.EVAL).data(), m.predict(x, 2).data());
    }

    @Test
    void wrongInputShapeIsNamed() {
        Sequential m = twoConvs();
        m.build(Shape.of(1, 7, 7));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.forward(Tensor.zeros(2, 3, 7, 7), Mode.EVAL));
        assertEquals("Sequential: input (2, 3, 7, 7), expected (N, 1, 7, 7)", e.getMessage());
    }

    @Test
    void outputsOfNamedNodesMatchTheLayersRunByHand() {
        Sequential m = Sequential.builder().add("conv1", Conv2d.of(3, 3).withPadding(1)).add("relu1", ReLU.of())
                .add("conv2", Conv2d.of(2, 3).withStride(2)).build();
        m.build(Shape.of(1, 7, 7), 5);
        Tensor x = GradientCheck.random(Tensor.zeros(2, 1, 7, 7), new Rng(3));
        Map<String, Tensor> out = m.outputs(x, "relu1", Model.INPUT, "conv1");
        assertEquals(List.of("relu1", Model.INPUT, "conv1"), List.copyOf(out.keySet()), "in the order asked");
        assertSame(x, out.get(Model.INPUT));
        Tensor conv1 = ((Conv2d) m.node("conv1").component()).forward(x, Mode.EVAL);
        assertArrayEquals(conv1.data(), out.get("conv1").data());
        assertEquals(Shape.of(2, 3, 7, 7), out.get("relu1").shape());
        for (int i = 0; i < conv1.size(); i++) {
            assertEquals(Math.max(0f, conv1.data()[i]), out.get("relu1").data()[i]);
        }
        assertArrayEquals(m.forward(x, Mode.EVAL).data(), m.outputs(x, "conv2", "conv2").get("conv2").data());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.outputs(x, "conv3"));
        assertEquals("Sequential: no node named 'conv3'; nodes: [conv1, relu1, conv2]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.outputs(x));
    }
}
