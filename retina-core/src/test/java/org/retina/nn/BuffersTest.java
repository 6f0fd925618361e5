package org.retina.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.retina.model.Graph;
import org.retina.model.Model;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/** The gradient buffers of a training backward: drawn by layers, given back once consumed, drawn again. */
class BuffersTest {

    @Test
    void aReleasedGradientIsDrawnAgainAndNothingIsPooledWhenUnbound() {
        Buffers pool = new Buffers();
        List<Tensor> seen = new ArrayList<>();
        pool.callForGradients(Tensor.zeros(Shape.of(1)), () -> {
            Tensor a = Buffers.gradient(Shape.of(2, 3));
            Tensor b = Buffers.gradient(Shape.of(2, 3));
            Buffers.release(a);
            seen.add(a);
            seen.add(b);
            seen.add(Buffers.gradient(Shape.of(3, 2)));
            return null;
        });
        assertNotSame(seen.get(0).data(), seen.get(1).data(), "two gradients out at once have arrays of their own");
        assertSame(seen.get(0).data(), seen.get(2).data(), "a released array of the size is drawn again");
        assertEquals(Shape.of(3, 2), seen.get(2).shape());
        assertNull(Buffers.gradient(Shape.of(2, 3)), "no pass, no pool: layers keep their own");
        Buffers.release(seen.get(1));    // no pass bound: nothing happens
    }

    @Test
    void aResidualBlockTrainsTheSameStepAfterStep() {
        sameStepAfterStep(BuffersTest::residual);
    }

    @Test
    void aFireModuleTrainsTheSameStepAfterStep() {
        sameStepAfterStep(BuffersTest::fire);
    }

    private static void sameStepAfterStep(java.util.function.Supplier<Model> make) {
        // two identical models, one a step ahead: b's first pass draws every gradient new (its pool is empty), a's
        // reuses arrays given back before; a gradient given back while still read would make them differ
        Model a = make.get();
        Model b = make.get();
        Tensor x = Tensor.zeros(Shape.of(4, 3, 6, 6));
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = (float) Math.sin(0.37 * i);
        }
        Tensor g = Tensor.zeros(Shape.of(4, 3, 6, 6));
        for (int i = 0; i < g.size(); i++) {
            g.data()[i] = (float) Math.cos(0.11 * i);
        }
        a.forward(x, Mode.TRAIN);
        a.backward(g);
        a.zeroGrad();
        for (int step = 0; step < 2; step++) {
            a.forward(x, Mode.TRAIN);
            Tensor ga = a.backward(g);
            b.forward(x, Mode.TRAIN);
            Tensor gb = b.backward(g);
            org.junit.jupiter.api.Assertions.assertArrayEquals(gb.data(), ga.data(), "input gradient, step " + step);
            for (String p : a.namedParameters().keySet()) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(b.namedParameters().get(p).grad().data(),
                        a.namedParameters().get(p).grad().data(), p);
            }
            a.zeroGrad();
            b.zeroGrad();
        }
    }

    /** SqueezeNet's fire module, then a sum with the input: two convolutions' outputs concatenated. */
    private static Model fire() {
        Graph.Builder gb = Graph.builder();
        String s = gb.add("squeeze", Conv2d.of(2, 1), Model.INPUT);
        String r = gb.add("relu", ReLU.of(), s);
        String e1 = gb.add("e1", Conv2d.of(2, 1), r);
        String e3 = gb.add("e3", Conv2d.of(2, 3).withPadding(1), r);
        String cat = gb.add("cat", Concat.of(), e1, e3);
        String c = gb.add("conv", Conv2d.of(3, 3).withPadding(1), cat);
        String sum = gb.add("add", Add.of(), c, Model.INPUT);
        return gb.build(sum, Shape.of(3, 6, 6), 3);
    }

    private static Model residual() {
        Graph.Builder gb = Graph.builder();
        String c1 = gb.add("conv1", Conv2d.of(3, 3).withPadding(1), Model.INPUT);
        String r1 = gb.add("relu1", ReLU.of(), c1);
        String c2 = gb.add("conv2", Conv2d.of(3, 3).withPadding(1), r1);
        String sum = gb.add("add", Add.of(), c2, Model.INPUT);
        String out = gb.add("relu", ReLU.of(), sum);
        String both = gb.add("add2", Add.of(), out, r1);
        return gb.build(both, Shape.of(3, 6, 6), 3);
    }
}
