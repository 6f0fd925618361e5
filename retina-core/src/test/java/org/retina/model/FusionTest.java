package org.retina.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.retina.nn.Add;
import org.retina.nn.AvgPool2d;
import org.retina.nn.BatchNorm2d;
import org.retina.nn.Conv2d;
import org.retina.nn.Dense;
import org.retina.nn.Fit;
import org.retina.nn.Flatten;
import org.retina.nn.MaxPool2d;
import org.retina.nn.Mode;
import org.retina.nn.Clip;
import org.retina.nn.ReLU;
import org.retina.nn.SiLU;
import org.retina.nn.Tanh;
import org.retina.tensor.Parameter;
import org.retina.tensor.Rng;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;
import org.retina.testing.GradientCheck;
import org.retina.testing.SumOrder;

/** A model run with fused blocks against the same model run layer by layer: outputs, gradients, statistics. */
class FusionTest {

    private static void close(String what, float[] want, float[] got) {
        SumOrder.close(what, want, got, "fused", "layer by layer");
    }

    private static void compare(String name, Supplier<Model> make, Shape input, int batch) {
        Model plain = make.get().fusion(false);
        Model fused = make.get();
        plain.build(input, 3);
        fused.build(input, 3);
        Rng rng = new Rng(11);
        for (int step = 0; step < 2; step++) {
            Tensor x = GradientCheck.random(Tensor.zeros(input.withBatch(batch)), rng);
            Tensor yp = plain.forward(x, Mode.TRAIN);
            Tensor yf = fused.forward(x, Mode.TRAIN);
            close(name + " train output", yp.data(), yf.data());
            Tensor gy = GradientCheck.random(yp, rng);
            plain.zeroGrad();
            fused.zeroGrad();
            Tensor gp = plain.backward(gy);
            Tensor gf = fused.backward(gy.copy());
            close(name + " input gradient", gp.data(), gf.data());
            Map<String, Parameter> pp = plain.namedParameters();
            Map<String, Parameter> pf = fused.namedParameters();
            for (String k : pp.keySet()) {
                close(name + " " + k + " grad", pp.get(k).grad().data(), pf.get(k).grad().data());
            }
            for (String k : plain.namedBuffers().keySet()) {
                close(name + " " + k, plain.namedBuffers().get(k).value().data(),
                        fused.namedBuffers().get(k).value().data());
            }
            close(name + " eval output", plain.forward(x, Mode.EVAL).data(), fused.forward(x, Mode.EVAL).data());
            plain.zeroGrad();
            fused.zeroGrad();
            plain.forward(x, Mode.TRAIN);
            fused.forward(x, Mode.TRAIN);
            plain.backward(gy);
            fused.backwardParameters(gy);
            for (String k : pf.keySet()) {
                close(name + " " + k + " grad without the input's", pp.get(k).grad().data(), pf.get(k).grad().data());
            }
        }
    }

    @Test
    void seedNetwork() {
        compare("seed", () -> Sequential.builder()
                .add("conv1", Conv2d.of(16, 5).withPadding(2)).add("bn1", BatchNorm2d.of()).add("relu1", ReLU.of())
                .add("pool1", MaxPool2d.of(2))
                .add("conv2", Conv2d.of(32, 5).withPadding(2)).add("bn2", BatchNorm2d.of()).add("relu2", ReLU.of())
                .add("pool2", MaxPool2d.of(2)).add("flatten", Flatten.of()).add("fc", Dense.of(10)).build(),
                Shape.of(1, 28, 28), 5);
    }

    @Test
    void leNet() {
        compare("lenet", () -> Sequential.builder()
                .add("c1", Conv2d.of(6, 5)).add("t1", Tanh.of()).add("s2", AvgPool2d.of(2))
                .add("c3", Conv2d.of(16, 5)).add("t3", Tanh.of()).add("s4", AvgPool2d.of(2))
                .add("c5", Conv2d.of(120, 5)).add("t5", Tanh.of()).add("flatten", Flatten.of())
                .add("f6", Dense.of(10)).build(), Shape.of(1, 32, 32), 3);
    }

    @Test
    void partialChainsOddSizesAndGroups() {
        compare("bn only", () -> Sequential.of(Conv2d.of(4, 3), BatchNorm2d.of().withAffine(false)),
                Shape.of(2, 9, 7), 3);
        compare("relu only", () -> Sequential.of(Conv2d.of(5, 3).withPadding(1), ReLU.of()), Shape.of(3, 8, 8), 2);
        compare("relu6 only", () -> Sequential.of(Conv2d.of(5, 3).withPadding(1), Clip.of(0, 6)), Shape.of(3, 8, 8),
                2);
        compare("bn relu6 max", () -> Sequential.of(Conv2d.of(4, 3).withPadding(1), BatchNorm2d.of(), Clip.of(0, 6),
                MaxPool2d.of(2)), Shape.of(2, 8, 8), 3);
        compare("pool only", () -> Sequential.of(Conv2d.of(6, 3).withGroups(2).withDilation(2).withPadding(2),
                MaxPool2d.of(2).withFit(Fit.FLOOR)), Shape.of(4, 11, 13), 2);
        compare("bn tanh max", () -> Sequential.of(Conv2d.of(3, 1), BatchNorm2d.of(), Tanh.of(),
                MaxPool2d.of(2).withFit(Fit.FLOOR)), Shape.of(2, 7, 35), 4);
        compare("bn relu avg", () -> Sequential.of(Conv2d.of(17, 3).withPadding(1), BatchNorm2d.of(), ReLU.of(),
                AvgPool2d.of(2)), Shape.of(3, 6, 6), 2);
        compare("strided", () -> Sequential.of(Conv2d.of(4, 3).withStride(2), BatchNorm2d.of(), ReLU.of()),
                Shape.of(2, 9, 9), 3);
    }

    @Test
    void siluBlocksFuseForEvaluationAndTrainPartByPart() {
        // EfficientNet's pieces: a 1x1 expansion and a depthwise convolution, each with batch norm and SiLU
        Supplier<Model> make = () -> Sequential.of(Conv2d.of(12, 1), BatchNorm2d.of(), SiLU.of(),
                Conv2d.of(12, 3).withGroups(12).withPadding(1), BatchNorm2d.of(), SiLU.of());
        compare("silu", make, Shape.of(4, 8, 8), 3);
        Model m = make.get();
        m.build(Shape.of(4, 8, 8));
        assertEquals(List.of(0, 3), m.steps().stream().filter(s -> s.block() != null).map(Fusion.Step::first)
                .toList(), "both chains are blocks");
    }

    @Test
    void aValueReadTwiceIsNotFusedAway() {
        Supplier<Model> make = () -> {
            Graph.Builder b = Graph.builder();
            b.add("conv", Conv2d.of(2, 3).withPadding(1), Model.INPUT);
            b.add("relu", ReLU.of(), "conv");
            b.add("sum", Add.of(), "relu", "conv");
            return b.build("sum");
        };
        compare("graph", make, Shape.of(2, 6, 6), 2);
        Model m = make.get();
        m.build(Shape.of(2, 6, 6));
        assertNull(m.steps().get(0).block(), "conv is read by relu and sum: not fused");
        Model s = Sequential.of(Conv2d.of(2, 3), ReLU.of(), MaxPool2d.of(3));
        s.build(Shape.of(1, 11, 11));
        assertEquals(List.of(0, 2), s.steps().stream().map(Fusion.Step::first).toList(),
                "a 3x3 pooling is not fused; conv + relu are");
    }
}
