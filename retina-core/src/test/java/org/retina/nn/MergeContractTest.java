package org.retina.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.retina.io.LayerRegistry;
import org.retina.tensor.Rng;
import org.retina.tensor.Tensor;
import org.retina.testing.GradientCheck;
import org.retina.testing.MergeCases;

/** Every merge case of {@link MergeCases} against the layer contract, adapted to several inputs. */
class MergeContractTest {

    static Stream<MergeCases.Case> cases() {
        return MergeCases.all().stream();
    }

    static Stream<MergeCases.Bad> badCases() {
        return MergeCases.bad().stream();
    }

    private static List<Tensor> inputs(MergeCases.Case c, Rng rng) {
        List<Tensor> xs = c.inputs().stream()
                .map(s -> GradientCheck.random(Tensor.zeros(s.withBatch(c.batch())), rng)).toList();
        if (c.name().startsWith("divide")) { // a divisor in [1, 2]: finite differences of 1/b near 0 are meaningless
            float[] d = xs.get(1).data();
            for (int i = 0; i < d.length; i++) {
                d[i] = 1 + Math.abs(d[i]);
            }
        }
        return xs;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void builtShapeIsForwardShape(MergeCases.Case c) {
        Merge merge = c.merge().get();
        assertEquals(c.output(), merge.build(c.inputs()));
        for (Mode mode : Mode.values()) {
            Tensor y = merge.forward(inputs(c, new Rng(1)), mode);
            assertEquals(c.output().withBatch(c.batch()), y.shape(), "forward shape in " + mode);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientsMatchFiniteDifferences(MergeCases.Case c) {
        Rng rng = new Rng(3);
        Merge merge = c.merge().get();
        merge.build(c.inputs());
        List<Tensor> xs = inputs(c, rng);
        Tensor r = GradientCheck.random(merge.forward(xs, Mode.TRAIN), rng);
        List<Tensor> gxs = merge.backward(r);
        assertEquals(xs.size(), gxs.size(), "one gradient per input");
        for (int i = 0; i < xs.size(); i++) {
            assertEquals(xs.get(i).shape(), gxs.get(i).shape(), "gradient shape of input " + i);
            // sums and copies are exact in float32; the 1e-2 step and tolerance are the contract's defaults
            GradientCheck.check(c.name() + " input " + i, xs.get(i), gxs.get(i),
                    () -> GradientCheck.dot(merge.forward(xs, Mode.TRAIN), r), 1e-2, 1e-2);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientsAreFreshTensors(MergeCases.Case c) {
        Merge merge = c.merge().get();
        merge.build(c.inputs());
        List<Tensor> xs = inputs(c, new Rng(4));
        Tensor gy = merge.forward(xs, Mode.TRAIN);
        List<Tensor> gxs = merge.backward(gy);
        for (int i = 0; i < gxs.size(); i++) {
            assertNotSame(gy.data(), gxs.get(i).data(), "gradient " + i + " aliases gradOut");
            for (int j = 0; j < i; j++) {
                assertNotSame(gxs.get(j).data(), gxs.get(i).data(), "gradients " + j + " and " + i + " alias");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rebuildsFromConfig(MergeCases.Case c) {
        Merge merge = c.merge().get();
        merge.build(c.inputs());
        Merge copy = (Merge) LayerRegistry.create(merge.type(), merge.config());
        assertEquals(merge.config(), copy.config(), "config round trip");
        assertEquals(merge.build(c.inputs()), copy.build(c.inputs()), "output shape of the rebuilt merge");
        List<Tensor> xs = inputs(c, new Rng(5));
        assertArrayEquals(merge.forward(xs, Mode.EVAL).data(), copy.forward(xs, Mode.EVAL).data());
        assertEquals(merge.toString(), copy.toString());
        assertTrue(merge.parameters().isEmpty() && merge.buffers().isEmpty(), "merges learn nothing");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void evalChangesNothing(MergeCases.Case c) {
        Merge merge = c.merge().get();
        merge.build(c.inputs());
        List<Tensor> xs = inputs(c, new Rng(7));
        List<float[]> before = xs.stream().map(x -> x.data().clone()).toList();
        Tensor y1 = merge.forward(xs, Mode.EVAL);
        Tensor y2 = merge.forward(xs, Mode.EVAL);
        assertArrayEquals(y1.data(), y2.data(), "eval is deterministic");
        for (int i = 0; i < xs.size(); i++) {
            assertArrayEquals(before.get(i), xs.get(i).data(), "forward changed input " + i);
            assertNotSame(xs.get(i).data(), y1.data(), "output aliases input " + i);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCases")
    void badShapesAreNamed(MergeCases.Bad c) {
        Merge merge = c.merge().get();
        ShapeException e = assertThrows(ShapeException.class, () -> merge.build(c.inputs()));
        assertTrue(e.getMessage().startsWith(merge.type() + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(c.message()), () -> "message '" + e.getMessage() + "' lacks '"
                + c.message() + "'");
        assertTrue(e.named("skip").getMessage().startsWith(merge.type() + " 'skip': "));
    }

    /** Broadcasting reads the right elements: each of y[n][c][h][w] and y[n][i][j][k] from the explicit formula. */
    @org.junit.jupiter.api.Test
    void broadcastProductsMatchTheirIndexFormula() {
        Rng rng = new Rng(5);
        Multiply gate = Multiply.of();
        gate.build(List.of(org.retina.tensor.Shape.of(3, 4, 5), org.retina.tensor.Shape.of(3, 1, 1)));
        Tensor x = GradientCheck.random(Tensor.zeros(2, 3, 4, 5), rng);
        Tensor g = GradientCheck.random(Tensor.zeros(2, 3, 1, 1), rng);
        Tensor y = gate.forward(List.of(x, g), Mode.EVAL);
        for (int i = 0; i < y.size(); i++) {
            assertEquals(x.data()[i] * g.data()[i / 20], y.data()[i], "element " + i);
        }
        Multiply both = Multiply.of();
        both.build(List.of(org.retina.tensor.Shape.of(3, 1, 4), org.retina.tensor.Shape.of(2, 1)));
        Tensor a = GradientCheck.random(Tensor.zeros(2, 3, 1, 4), rng);
        Tensor b = GradientCheck.random(Tensor.zeros(2, 2, 1), rng);
        Tensor z = both.forward(List.of(a, b), Mode.EVAL);
        for (int n = 0; n < 2; n++) {
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 2; j++) {
                    for (int k = 0; k < 4; k++) {
                        assertEquals(a.data()[n * 12 + i * 4 + k] * b.data()[n * 2 + j],
                                z.data()[((n * 3 + i) * 2 + j) * 4 + k], "element " + n + i + j + k);
                    }
                }
            }
        }
    }
}
