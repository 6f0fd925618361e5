package org.retina.golden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.retina.nn.BatchNorm2d;
import org.retina.nn.Dense;
import org.retina.nn.Layer;
import org.retina.nn.HardSigmoid;
import org.retina.nn.HardSwish;
import org.retina.nn.LeakyReLU;
import org.retina.nn.LocallyConnected2d;
import org.retina.nn.LogSoftmax;
import org.retina.nn.ReLU;
import org.retina.nn.SiLU;
import org.retina.nn.Sigmoid;
import org.retina.nn.Softmax;
import org.retina.nn.Tanh;
import org.retina.tensor.Tensor;
import org.retina.testing.Golden;
import org.retina.testing.LayerRunner;

/** Dense, the activations, batch normalization and the locally connected layer against PyTorch's float64 reference. */
class LayerGoldenTest {

    /** Where the layers run: the CPU engine; a device's subclass runs the same cases there. */
    LayerRunner runner() {
        return LayerRunner.CPU;
    }

    static Stream<String> linearCases() {
        return Golden.casesOf("linear").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("linearCases")
    void linear(String name) {
        Golden g = Golden.load(name);
        boolean bias = (Boolean) g.params().get("bias");
        Dense dense = Dense.of((int) g.number("out_features")).withInFeatures((int) g.number("in_features"))
                .withBias(bias);
        Tensor x = g.tensor("x");
        dense.build(x.shape().dropFirst());
        dense.weight().value().copyFrom(g.tensor("w"));
        if (bias) {
            dense.bias().value().copyFrom(g.tensor("b"));
        }
        Tensor[] r = runner().train(dense, x, g.tensor("gy"));
        g.check("y", r[0]);
        g.check("gx", r[1]);
        g.check("gw", dense.weight().grad());
        if (bias) {
            g.check("gb", dense.bias().grad());
        }
    }

    static List<String> activationCases() {
        return List.of("relu", "leaky_relu", "sigmoid", "tanh", "hardsigmoid", "hardswish", "silu", "softmax_dim1",
                "log_softmax_dim1");
    }

    private static Layer activation(Golden g) {
        return switch (g.name()) {
            case "relu" -> ReLU.of();
            case "leaky_relu" -> LeakyReLU.of(g.number("negative_slope"));
            case "sigmoid" -> Sigmoid.of();
            case "tanh" -> Tanh.of();
            case "hardsigmoid" -> HardSigmoid.of();
            case "hardswish" -> HardSwish.of();
            case "silu" -> SiLU.of();
            case "softmax_dim1" -> Softmax.of();
            case "log_softmax_dim1" -> LogSoftmax.of();
            default -> throw new IllegalArgumentException("not an activation case: " + g.name());
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("activationCases")
    void activations(String name) {
        Golden g = Golden.load(name);
        if (g.params().containsKey("dim")) {
            assertEquals(1, (int) g.number("dim"), "the softmax layers work over dim 1");
        }
        Layer layer = activation(g);
        Tensor x = g.tensor("x");
        layer.build(x.shape().dropFirst());
        Tensor[] r = runner().train(layer, x, g.tensor("gy"));
        g.check("y", r[0]);
        g.check("gx", r[1]);
    }

    private static BatchNorm2d batchNorm(Golden g) {
        BatchNorm2d bn = BatchNorm2d.of().withNumFeatures((int) g.number("num_features")).withEps(g.number("eps"))
                .withMomentum(g.number("momentum")).withAffine((Boolean) g.params().get("affine"));
        bn.build(g.tensor("x").shape().dropFirst());
        bn.weight().value().copyFrom(g.tensor("w"));
        bn.bias().value().copyFrom(g.tensor("b"));
        bn.runningMean().value().copyFrom(g.tensor("running_mean"));
        bn.runningVar().value().copyFrom(g.tensor("running_var"));
        return bn;
    }

    @Test
    void batchNormTrain() {
        Golden g = Golden.load("batchnorm2d_train");
        BatchNorm2d bn = batchNorm(g);
        Tensor[] r = runner().train(bn, g.tensor("x"), g.tensor("gy"));
        g.check("y", r[0]);
        g.check("running_mean_out", bn.runningMean().value());
        g.check("running_var_out", bn.runningVar().value());
        g.check("gx", r[1]);
        g.check("gw", bn.weight().grad());
        g.check("gb", bn.bias().grad());
    }

    /**
     * Only {@code y}: the case's gx, gw and gb are gradients of an evaluation forward, and a layer's backward
     * follows a training forward (an evaluation forward caches nothing).
     */
    @Test
    void batchNormEval() {
        Golden g = Golden.load("batchnorm2d_eval");
        BatchNorm2d bn = batchNorm(g);
        g.check("y", runner().eval(bn, g.tensor("x")));
        assertArrayEquals(g.tensor("running_mean").data(), bn.runningMean().value().data(), "running mean kept");
        assertArrayEquals(g.tensor("running_var").data(), bn.runningVar().value().data(), "running variance kept");
    }

    @Test
    void locallyConnected() {
        Golden g = Golden.load("locally_connected2d_3to4_k3_6x6");
        int[] k = g.intPair("kernel");
        int[] s = g.intPair("stride");
        int[] p = g.intPair("padding");
        boolean bias = (Boolean) g.params().get("bias");
        LocallyConnected2d lc = LocallyConnected2d.of((int) g.number("out_channels"), k[0], k[1])
                .withInChannels((int) g.number("in_channels")).withStride(s[0], s[1]).withPadding(p[0], p[1])
                .withBias(bias);
        Tensor x = g.tensor("x");
        lc.build(x.shape().dropFirst());
        int[] outSize = g.intPair("output_size");
        assertEquals(outSize[0], lc.geometry().outH());
        assertEquals(outSize[1], lc.geometry().outW());
        lc.weight().value().copyFrom(g.tensor("w"));
        if (bias) {
            lc.bias().value().copyFrom(g.tensor("b"));
        }
        Tensor[] r = runner().train(lc, x, g.tensor("gy"));
        g.check("y", r[0]);
        g.check("gx", r[1]);
        g.check("gw", lc.weight().grad());
        if (bias) {
            g.check("gb", lc.bias().grad());
        }
    }
}
