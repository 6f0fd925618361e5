package org.retina.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.retina.model.Graph;
import org.retina.model.Model;
import org.retina.nn.Mode;
import org.retina.tensor.Parameter;
import org.retina.tensor.Rng;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;
import org.retina.testing.GradientCheck;

/**
 * Finite-difference checks of the graph blocks the zoo is made of, through every branch and merge: the input and
 * every parameter, relative tolerance 1e-2. The step is 1e-3, not ModelTest's 1e-2: batch norm in training mode
 * couples all values of a channel, so a step of 1e-2 in one weight moves every one of them and crosses several
 * ReLU kinks at once, which GradientCheck's one-kink rule cannot untangle (the numeric slope jumps with the step
 * instead of converging). Float32 noise at 1e-3 is about 1e-7 |L| / 1e-3, far below the tolerance.
 */
class BlockGradientTest {
    private static final double STEP = 1e-3;

    private static void checkAll(Model m, Shape input, long seed) {
        Rng rng = new Rng(seed);
        Tensor x = GradientCheck.random(Tensor.zeros(input.withBatch(2)), rng);
        Tensor r = GradientCheck.random(m.forward(x, Mode.TRAIN), rng);
        m.zeroGrad();
        m.forward(x, Mode.TRAIN);
        Tensor gx = m.backward(r);
        GradientCheck.check("input", x, gx, () -> GradientCheck.dot(m.forward(x, Mode.TRAIN), r), STEP, 1e-2);
        for (Map.Entry<String, Parameter> e : m.namedParameters().entrySet()) {
            Parameter p = e.getValue();
            GradientCheck.check(e.getKey(), p.value(), p.grad().copy(),
                    () -> GradientCheck.dot(m.forward(x, Mode.TRAIN), r), STEP, 1e-2);
        }
    }

    @Test
    void residualBlockWithIdentityShortcut() {
        Graph.Builder g = Graph.builder();
        Model m = g.build(ResNet.basicBlock(g, "block", Model.INPUT, 3, 3, 1));
        m.build(Shape.of(3, 5, 5), 1);
        assertEquals(6, m.namedParameters().size(), "two convs without bias, two batch norms, no projection");
        checkAll(m, Shape.of(3, 5, 5), 11);
    }

    @Test
    void residualBlockWithProjectionShortcut() {
        Graph.Builder g = Graph.builder();
        Model m = g.build(ResNet.basicBlock(g, "block", Model.INPUT, 2, 4, 2));
        m.build(Shape.of(2, 6, 6), 2);
        assertEquals(Shape.of(4, 3, 3), m.outputShape());
        assertEquals(Shape.of(4, 2, 1, 1), m.namedParameters().get("block.downsample.0.weight").shape());
        checkAll(m, Shape.of(2, 6, 6), 12);
    }

    @Test
    void bottleneckBlock() {
        Graph.Builder g = Graph.builder();
        Model m = g.build(ResNet.bottleneck(g, "block", Model.INPUT, 3, 2, 1));
        m.build(Shape.of(3, 4, 4), 3);
        assertEquals(Shape.of(8, 4, 4), m.outputShape());
        checkAll(m, Shape.of(3, 4, 4), 13);
    }

    @Test
    void inceptionBlock() {
        Graph.Builder g = Graph.builder();
        Model m = g.build(GoogLeNet.inception(g, "inc", Model.INPUT, 2, 2, 3, 1, 2, 2));
        m.build(Shape.of(3, 5, 5), 4);
        assertEquals(Shape.of(2 + 3 + 2 + 2, 5, 5), m.outputShape());
        checkAll(m, Shape.of(3, 5, 5), 14);
    }
}
