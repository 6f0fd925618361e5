package org.retina.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.retina.model.Model;
import org.retina.model.Sequential;
import org.retina.tensor.Parameter;
import org.retina.tensor.Rng;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;
import org.retina.testing.GradientCheck;
import org.retina.testing.SumOrder;

/**
 * A conv block made from its spec against the same parts run one by one: the ReLU and ReLU6 blocks, which the
 * finite-difference contract cannot hold (their kinks), and the paths where the block runs its parts itself.
 */
class ConvBlockTest {

    private static void close(String what, float[] want, float[] got) {
        SumOrder.close(what, want, got, "block", "parts");
    }

    /** The block as one node, and its parts as nodes run one by one, with the same initial weights. */
    private static Model[] pair(ConvBlock block, Shape input) {
        List<Layer> parts = List.copyOf(block.layers());
        Sequential.Builder b = Sequential.builder();
        for (Layer l : parts) {
            b.add(l.type(), (Layer) org.retina.io.LayerRegistry.create(l.type(), l.config()));
        }
        Model plain = b.build(input, 7).fusion(false);
        Model one = Sequential.builder().add("block", block).build(input, 7);
        return new Model[] {plain, one};
    }

    /** Parameters of the block ({@code block.conv.weight}) by the parts' names ({@code Conv2d.weight}). */
    private static Parameter partOf(Model one, String plainName) {
        String[] p = plainName.split("\\.", 2);
        String part = p[0].equals("Conv2d") ? "conv" : "bn";
        return one.namedParameters().containsKey("block." + part + "." + p[1])
                ? one.namedParameters().get("block." + part + "." + p[1])
                : one.namedBuffers().get("block." + part + "." + p[1]);
    }

    private static void sameAsParts(String name, ConvBlock block, Shape input, int batch) {
        Model[] m = pair(block, input);
        Model plain = m[0];
        Model one = m[1];
        for (Map.Entry<String, Parameter> e : plain.namedParameters().entrySet()) {
            assertArrayEquals(e.getValue().value().data(), partOf(one, e.getKey()).value().data(),
                    name + ": same seed, same initial " + e.getKey());
        }
        Rng rng = new Rng(13);
        for (int step = 0; step < 2; step++) {
            Tensor x = GradientCheck.random(Tensor.zeros(input.withBatch(batch)), rng);
            Tensor yp = plain.forward(x, Mode.TRAIN);
            Tensor yb = one.forward(x, Mode.TRAIN);
            close(name + " train output", yp.data(), yb.data());
            Tensor gy = GradientCheck.random(yp, rng);
            plain.zeroGrad();
            one.zeroGrad();
            close(name + " input gradient", plain.backward(gy).data(), one.backward(gy.copy()).data());
            for (Map.Entry<String, Parameter> e : plain.namedParameters().entrySet()) {
                close(name + " " + e.getKey() + " grad", e.getValue().grad().data(),
                        partOf(one, e.getKey()).grad().data());
            }
            for (Map.Entry<String, Parameter> e : plain.namedBuffers().entrySet()) {
                close(name + " " + e.getKey(), e.getValue().value().data(), partOf(one, e.getKey()).value().data());
            }
            close(name + " eval output", plain.forward(x, Mode.EVAL).data(), one.forward(x, Mode.EVAL).data());
        }
    }

    @Test
    void reluAndRelu6BlocksEqualTheirParts() {
        sameAsParts("bn relu max", ConvBlock.of(Conv2d.of(4, 3).withPadding(1)).withBatchNorm()
                .withActivation(ConvBlock.Activation.RELU).withPool(ConvBlock.Pool.MAX), Shape.of(3, 8, 8), 3);
        sameAsParts("bn relu6 avg", ConvBlock.of(Conv2d.of(5, 3).withPadding(1)).withBatchNorm()
                .withActivation(ConvBlock.Activation.RELU6).withPool(ConvBlock.Pool.AVG), Shape.of(2, 10, 6), 2);
        sameAsParts("relu, no bias", ConvBlock.of(Conv2d.of(3, 3).withBias(false).withStride(2))
                .withActivation(ConvBlock.Activation.RELU), Shape.of(2, 9, 9), 2);
    }

    @Test
    void aFrozenBatchNormRunsThePartsAndKeepsItsStatistics() {
        ConvBlock block = ConvBlock.of(Conv2d.of(4, 3).withPadding(1)).withBatchNorm()
                .withActivation(ConvBlock.Activation.RELU).withPool(ConvBlock.Pool.MAX);
        Shape input = Shape.of(2, 8, 8);
        Model[] m = pair(block, input);
        Model plain = m[0];
        Model one = m[1];
        plain.freeze("BatchNorm2d");
        block.parameters().stream().filter(p -> p.name().startsWith("bn.")).forEach(p -> p.setTrainable(false));
        float[] mean = one.namedBuffers().get("block.bn.running_mean").value().data().clone();
        Tensor x = GradientCheck.random(Tensor.zeros(input.withBatch(2)), new Rng(5));
        // the parts one by one: the same operations in the same order as the unfused model, so the same bits
        assertArrayEquals(plain.forward(x, Mode.TRAIN).data(), one.forward(x, Mode.TRAIN).data(), "frozen forward");
        Tensor gy = GradientCheck.random(Tensor.zeros(Shape.of(2, 4, 4, 4)), new Rng(6));
        assertArrayEquals(plain.backward(gy).data(), one.backward(gy).data(), "frozen backward");
        assertArrayEquals(plain.namedParameters().get("Conv2d.weight").grad().data(),
                one.namedParameters().get("block.conv.weight").grad().data(), "conv weight gradient");
        assertArrayEquals(mean, one.namedBuffers().get("block.bn.running_mean").value().data(),
                "a frozen batch norm leaves its running mean alone");
        assertArrayEquals(new float[4], one.namedParameters().get("block.bn.weight").grad().data(),
                "a frozen batch norm computes no parameter gradient");
        // again: the block's pass now draws the gradients between its parts from arrays given back the first time
        plain.zeroGrad();
        one.zeroGrad();
        plain.forward(x, Mode.TRAIN);
        one.forward(x, Mode.TRAIN);
        assertArrayEquals(plain.backward(gy).data(), one.backward(gy).data(), "frozen backward, second pass");
        assertArrayEquals(plain.namedParameters().get("Conv2d.weight").grad().data(),
                one.namedParameters().get("block.conv.weight").grad().data(), "conv weight gradient, second pass");
    }

    @Test
    void oneFromSpecOwnsNamedPartsAndPrintsThem() {
        ConvBlock b = ConvBlock.of(Conv2d.of(8, 3).withPadding(1)).withBatchNorm()
                .withActivation(ConvBlock.Activation.RELU).withPool(ConvBlock.Pool.MAX);
        Model m = Sequential.builder().add("features.0", b).build(Shape.of(3, 16, 16));
        assertEquals(List.of("features.0.conv.weight", "features.0.conv.bias", "features.0.bn.weight",
                "features.0.bn.bias"), List.copyOf(m.namedParameters().keySet()));
        assertEquals(List.of("features.0.bn.running_mean", "features.0.bn.running_var"),
                List.copyOf(m.namedBuffers().keySet()));
        assertEquals(Shape.of(8, 8, 8), m.shapeOf("features.0"));
        assertEquals("ConvBlock(Conv2d(3, 8, kernel=3, padding=1), BatchNorm2d(8), ReLU(), MaxPool2d(kernel=2))",
                b.toString());
        assertEquals(Map.of("conv", b.layers().getFirst().config(), "batchNorm", b.layers().get(1).config(),
                "activation", "relu", "pool", "max"), b.config());
    }

    @Test
    void misuseIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConvBlock.over(List.of(ReLU.of())));
        assertTrue(e.getMessage().contains("starts with a built Conv2d"), e.getMessage());
        Conv2d conv = Conv2d.of(2, 3);
        conv.build(Shape.of(1, 6, 6));
        e = assertThrows(IllegalArgumentException.class, () -> ConvBlock.over(List.of(conv, ReLU.of(), ReLU.of())));
        assertTrue(e.getMessage().contains("cannot follow ACTIVATION"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ConvBlock.fromConfig(Map.of("conv",
                Conv2d.of(2, 3).config(), "activation", "gelu")));
        assertEquals("ConvBlock config: 'activation' is gelu, expected one of [none, relu, tanh, relu6, silu]",
                e.getMessage());
        ShapeException s = assertThrows(ShapeException.class,
                () -> ConvBlock.of(Conv2d.of(2, 3).withInChannels(3)).build(Shape.of(1, 6, 6)));
        assertTrue(s.getMessage().startsWith("ConvBlock: Conv2d: input (1, 6, 6) has 1 channels"), s.getMessage());
        assertThrows(IllegalStateException.class, () -> ConvBlock.of(Conv2d.of(2, 3)).backward(Tensor.zeros(1)));
    }
}
