package org.retina.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.retina.io.LayerRegistry;
import org.retina.tensor.Parameter;
import org.retina.tensor.Rng;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;
import org.retina.testing.GradientCheck;
import org.retina.testing.LayerCases;

/** Every layer case of {@link LayerCases} against the contract every layer keeps. */
class LayerContractTest {

    static Stream<LayerCases.Case> cases() {
        return LayerCases.all().stream();
    }

    static Stream<LayerCases.Bad> badCases() {
        return LayerCases.bad().stream();
    }

    private static Layer built(LayerCases.Case c, Rng rng) {
        Layer layer = c.layer().get();
        layer.build(c.input());
        layer.initialize(rng);
        return layer;
    }

    private static Tensor input(LayerCases.Case c, Rng rng) {
        Tensor like = Tensor.zeros(c.input().withBatch(c.batch()));
        // a 0.05 gap is 5 steps of the 1e-2 finite difference below: a perturbed value never ties or overtakes
        return c.spread() ? GradientCheck.spread(like, rng, 0.05f) : GradientCheck.random(like, rng);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void builtShapeIsForwardShape(LayerCases.Case c) {
        Rng rng = new Rng(1);
        Layer layer = c.layer().get();
        Shape out = layer.build(c.input());
        layer.initialize(rng);
        for (Mode mode : Mode.values()) {
            Tensor y = layer.forward(input(c, rng), mode);
            assertEquals(out.withBatch(c.batch()), y.shape(), "forward shape in " + mode);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void parameterCount(LayerCases.Case c) {
        Layer layer = built(c, new Rng(2));
        long count = layer.parameters().stream().mapToLong(Parameter::size).sum();
        if (c.params() >= 0) {
            assertEquals(c.params(), count, "parameters of " + layer);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientsMatchFiniteDifferences(LayerCases.Case c) {
        if (c.stochastic()) {
            return;
        }
        Rng rng = new Rng(3);
        Layer layer = built(c, rng);
        Tensor x = input(c, rng);
        Tensor y = layer.forward(x, Mode.TRAIN);
        Tensor r = GradientCheck.random(y, rng);
        Tensor gx = layer.backward(r);
        // float32 forward, double sums: a 1e-2 step keeps rounding noise near 1e-4 relative; 1e-2 tolerance
        GradientCheck.check(c.name() + " input", x, gx,
                () -> GradientCheck.dot(layer.forward(x, Mode.TRAIN), r), 1e-2, 1e-2);
        for (Parameter p : layer.parameters()) {
            Tensor analytic = p.grad().copy();
            GradientCheck.check(c.name() + " " + p.name(), p.value(), analytic,
                    () -> GradientCheck.dot(layer.forward(x, Mode.TRAIN), r), 1e-2, 1e-2);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientsAccumulate(LayerCases.Case c) {
        if (c.stochastic()) {
            return;
        }
        Rng rng = new Rng(4);
        Layer layer = built(c, rng);
        Tensor x = input(c, rng);
        Tensor r = GradientCheck.random(layer.forward(x, Mode.TRAIN), rng);
        layer.backward(r);
        List<Tensor> once = layer.parameters().stream().map(p -> p.grad().copy()).toList();
        layer.forward(x, Mode.TRAIN);
        layer.backward(r);
        for (int i = 0; i < once.size(); i++) {
            float[] a = once.get(i).data();
            float[] b = layer.parameters().get(i).grad().data();
            for (int j = 0; j < a.length; j++) {
                assertEquals(2 * a[j], b[j], 1e-5 * Math.max(1, Math.abs(a[j])), "grad += at " + j);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void parameterOnlyBackwardAddsTheSameGradients(LayerCases.Case c) {
        if (c.stochastic()) {
            return;
        }
        Rng rng = new Rng(8);
        Layer layer = built(c, rng);
        Tensor x = input(c, rng);
        Tensor r = GradientCheck.random(layer.forward(x, Mode.TRAIN), rng);
        layer.backward(r);
        List<Tensor> full = layer.parameters().stream().map(p -> p.grad().copy()).toList();
        layer.parameters().forEach(Parameter::zeroGrad);
        layer.forward(x, Mode.TRAIN);
        layer.backwardParameters(r);
        for (int i = 0; i < full.size(); i++) {
            assertArrayEquals(full.get(i).data(), layer.parameters().get(i).grad().data(), "same sums, same order");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rebuildsFromConfig(LayerCases.Case c) {
        Rng rng = new Rng(5);
        Layer layer = built(c, rng);
        Layer copy = (Layer) LayerRegistry.create(layer.type(), layer.config());
        assertEquals(layer.config(), copy.config(), "config round trip");
        assertEquals(layer.build(c.input()), copy.build(c.input()), "output shape of the rebuilt layer");
        layer.initialize(new Rng(6));
        copy.initialize(new Rng(6));
        List<Parameter> a = layer.parameters();
        List<Parameter> b = copy.parameters();
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).shape(), b.get(i).shape());
            assertArrayEquals(a.get(i).value().data(), b.get(i).value().data(), "same seed, same weights");
        }
        Tensor x = input(c, rng);
        assertArrayEquals(layer.forward(x, Mode.EVAL).data(), copy.forward(x, Mode.EVAL).data());
        assertEquals(layer.toString(), copy.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void evalChangesNothing(LayerCases.Case c) {
        Rng rng = new Rng(7);
        Layer layer = built(c, rng);
        Tensor x = input(c, rng);
        List<float[]> before = Stream.concat(layer.parameters().stream(), layer.buffers().stream())
                .map(p -> p.value().data().clone()).toList();
        Tensor y1 = layer.forward(x, Mode.EVAL);
        Tensor y2 = layer.forward(x, Mode.EVAL);
        assertArrayEquals(y1.data(), y2.data(), "eval is deterministic");
        List<float[]> after = Stream.concat(layer.parameters().stream(), layer.buffers().stream())
                .map(p -> p.value().data()).toList();
        for (int i = 0; i < before.size(); i++) {
            assertArrayEquals(before.get(i), after.get(i), "eval forward changed a parameter or buffer");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCases")
    void badGeometryIsNamed(LayerCases.Bad c) {
        Layer layer = c.layer().get();
        ShapeException e = assertThrows(ShapeException.class, () -> layer.build(c.input()));
        assertTrue(e.getMessage().startsWith(layer.type() + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(c.message()), () -> "message '" + e.getMessage() + "' lacks '"
                + c.message() + "'");
        assertTrue(e.named("conv1").getMessage().startsWith(layer.type() + " 'conv1': "));
    }
}
