package org.retina.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.retina.nn.Add;
import org.retina.nn.BatchNorm2d;
import org.retina.nn.Conv2d;
import org.retina.nn.Mode;
import org.retina.nn.ReLU;
import org.retina.nn.Sigmoid;
import org.retina.tensor.Rng;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;
import org.retina.testing.GradientCheck;
import org.retina.testing.SumOrder;

/**
 * Training values written over inputs nothing reads any more (a residual sum over the batch norm before it, the
 * activation over the sum) and a fused block's gradient written over the one it is handed: the same outputs and
 * gradients as a pass that keeps every value, which an observed pass does.
 */
class OverwriteTest {

    /** conv, batch norm, sum over input 0, ReLU; conv, batch norm, sum over input 1, sigmoid: planes too small to fuse. */
    private static Model residual() {
        Graph.Builder gb = Graph.builder();
        gb.add("conv1", Conv2d.of(4, 3).withPadding(1), Model.INPUT);
        gb.add("bn1", BatchNorm2d.of(), "conv1");
        gb.add("short", Conv2d.of(4, 1), Model.INPUT);
        gb.add("add1", Add.of(), "bn1", "short");
        gb.add("relu1", ReLU.of(), "add1");
        gb.add("conv2", Conv2d.of(4, 3).withPadding(1), "relu1");
        gb.add("bn2", BatchNorm2d.of(), "conv2");
        gb.add("add2", Add.of(), "relu1", "bn2");
        gb.add("out", Sigmoid.of(), "add2");
        return gb.build("out", Shape.of(3, 6, 6), 5);
    }

    @Test
    void aSumAndTheActivationAfterItTakeTheArrayOfTheBatchNormBeforeThem() {
        Model m = residual();
        Rng rng = new Rng(3);
        Tensor x = GradientCheck.random(Tensor.zeros(Shape.of(4, 3, 6, 6)), rng);
        Tensor gy = GradientCheck.random(Tensor.zeros(Shape.of(4, 4, 6, 6)), rng);
        // observed: every value kept in arrays of its own
        Map<String, Tensor> seen = new HashMap<>();
        Tensor want = m.forward(x, Mode.TRAIN, (name, v) -> seen.put(name, v)).copy();
        float[] relu1 = seen.get("relu1").copy().data();
        m.zeroGrad();
        Tensor wantGx = m.backward(gy).copy();
        Map<String, float[]> wantGrads = grads(m);
        for (int step = 0; step < 2; step++) {
            m.zeroGrad();
            Tensor got = m.forward(x, Mode.TRAIN);
            assertArrayEquals(want.data(), got.data(), "output, step " + step);
            assertSame(seen.get("bn2").data(), got.data(), "the second sum and the sigmoid wrote over bn2's array");
            assertArrayEquals(relu1, seen.get("bn1").data(), "the first sum and the ReLU wrote over bn1's array");
            assertArrayEquals(wantGx.data(), m.backward(gy).data(), "input gradient, step " + step);
            Map<String, float[]> g = grads(m);
            for (String k : wantGrads.keySet()) {
                assertArrayEquals(wantGrads.get(k), g.get(k), k + " gradient, step " + step);
            }
        }
    }

    @Test
    void aFusedBlockWritesItsGradientOverTheOneItIsHandedButNeverTheCallers() {
        // 8x8 planes: the convolution and batch norm run as one block, whose output gradient is the sum's copy
        Graph.Builder gb = Graph.builder();
        gb.add("conv", Conv2d.of(3, 3).withPadding(1), Model.INPUT);
        gb.add("bn", BatchNorm2d.of(), "conv");
        gb.add("add", Add.of(), "bn", Model.INPUT);
        gb.add("relu", ReLU.of(), "add");
        gb.add("conv2", Conv2d.of(3, 3).withPadding(1), "relu");
        gb.add("bn2", BatchNorm2d.of(), "conv2");
        Model m = gb.build("bn2", Shape.of(3, 8, 8), 7);
        Rng rng = new Rng(5);
        Tensor x = GradientCheck.random(Tensor.zeros(Shape.of(3, 3, 8, 8)), rng);
        Tensor gy = GradientCheck.random(Tensor.zeros(Shape.of(3, 3, 8, 8)), rng);
        float[] given = gy.copy().data();
        m.forward(x, Mode.TRAIN, (name, v) -> { });
        m.zeroGrad();
        Tensor wantGx = m.backward(gy).copy();
        Map<String, float[]> want = grads(m);
        m.forward(x, Mode.TRAIN);
        m.zeroGrad();
        Tensor gx = m.backward(gy);
        assertArrayEquals(given, gy.data(), "the caller's gradient is read, never written");
        assertNotSame(gy.data(), gx.data());
        SumOrder.close("input gradient", wantGx.data(), gx.data(), "fused", "layer by layer");
        Map<String, float[]> got = grads(m);
        for (String k : want.keySet()) {
            SumOrder.close(k + " gradient", want.get(k), got.get(k), "fused", "layer by layer");
        }
    }

    private static Map<String, float[]> grads(Model m) {
        Map<String, float[]> g = new HashMap<>();
        m.namedParameters().forEach((k, p) -> g.put(k, p.grad().data().clone()));
        return g;
    }
}
