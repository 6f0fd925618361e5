package org.retina.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.retina.cuda.CudaEngine;
import org.retina.cuda.CudaProvider;
import org.retina.loss.SoftmaxCrossEntropy;
import org.retina.model.Sequential;
import org.retina.nn.AvgPool2d;
import org.retina.nn.BatchNorm2d;
import org.retina.nn.Conv2d;
import org.retina.nn.Dense;
import org.retina.nn.Fit;
import org.retina.nn.Flatten;
import org.retina.nn.Layer;
import org.retina.nn.LeakyReLU;
import org.retina.nn.LocallyConnected2d;
import org.retina.nn.LogSoftmax;
import org.retina.nn.LpPool2d;
import org.retina.nn.MaxPool2d;
import org.retina.nn.ReLU;
import org.retina.nn.Sigmoid;
import org.retina.nn.Softmax;
import org.retina.nn.Tanh;
import org.retina.optim.Adam;
import org.retina.optim.Optimizer;
import org.retina.tensor.Parameter;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;
import org.retina.testing.Golden;

/**
 * Every golden case of the CPU suite, run on the GPU (FP32: TF32 off) against the same PyTorch float64 references
 * and tolerances. Skipped, saying so, where no CUDA device is found.
 */
class CudaGoldenTest {

    private static final String UNAVAILABLE = new CudaProvider().unavailableReason();

    @BeforeEach
    void device() {
        assumeTrue(UNAVAILABLE == null, "skipped: no CUDA device (" + UNAVAILABLE + ")");
    }

    /** Runs a built layer with its current weights on the GPU: returns y and gx; parameter grads land on the host. */
    private static Tensor[] onGpu(Layer layer, Tensor x, Tensor gy) {
        List<float[]> saved = new ArrayList<>();
        layer.parameters().forEach(p -> saved.add(p.value().data().clone()));
        layer.buffers().forEach(p -> saved.add(p.value().data().clone()));
        Sequential model = Sequential.of(layer);
        model.build(x.shape().dropFirst());
        int i = 0;
        for (Parameter p : layer.parameters()) {
            System.arraycopy(saved.get(i++), 0, p.value().data(), 0, p.size());
        }
        for (Parameter p : layer.buffers()) {
            System.arraycopy(saved.get(i++), 0, p.value().data(), 0, p.size());
        }
        try (CudaEngine e = new CudaEngine(model, null, null, 42, false, true)) {
            return e.forwardBackward(x, gy);
        }
    }

    private static Tensor evalOnGpu(Layer layer, Tensor x) {
        Sequential model = Sequential.of(layer);
        List<float[]> saved = new ArrayList<>();
        layer.parameters().forEach(p -> saved.add(p.value().data().clone()));
        layer.buffers().forEach(p -> saved.add(p.value().data().clone()));
        model.build(x.shape().dropFirst());
        int i = 0;
        for (Parameter p : layer.parameters()) {
            System.arraycopy(saved.get(i++), 0, p.value().data(), 0, p.size());
        }
        for (Parameter p : layer.buffers()) {
            System.arraycopy(saved.get(i++), 0, p.value().data(), 0, p.size());
        }
        try (CudaEngine e = new CudaEngine(model, null, null, 42, false, false)) {
            return e.forward(x);
        }
    }

    static Stream<String> convCases() {
        return Golden.casesOf("conv2d").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("convCases")
    void conv(String name) {
        Golden g = Golden.load(name);
        int[] k = g.intPair("kernel");
        int[] s = g.intPair("stride");
        int[] p = g.intPair("padding");
        int[] d = g.intPair("dilation");
        boolean bias = (Boolean) g.params().get("bias");
        Conv2d conv = Conv2d.of(((Number) g.params().get("out_channels")).intValue(), k[0], k[1])
                .withStride(s[0], s[1]).withPadding(p[0], p[1]).withDilation(d[0], d[1])
                .withGroups(((Number) g.params().get("groups")).intValue()).withBias(bias).withFit(Fit.FLOOR);
        Tensor x = g.tensor("x");
        conv.build(x.shape().dropFirst());
        conv.weight().value().copyFrom(g.tensor("w"));
        if (bias) {
            conv.bias().value().copyFrom(g.tensor("b"));
        }
        Tensor[] r = onGpu(conv, x, g.tensor("gy"));
        g.check("y", r[0]);
        g.check("gx", r[1]);
        g.check("gw", conv.weight().grad());
        if (bias) {
            g.check("gb", conv.bias().grad());
        }
    }

    static Stream<String> poolCases() {
        return Stream.of("maxpool2d", "avgpool2d", "lppool2d").flatMap(op -> Golden.casesOf(op).stream());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("poolCases")
    void pooling(String name) {
        Golden g = Golden.load(name);
        int[] k = g.intPair("kernel");
        int[] s = g.intPair("stride");
        int[] p = g.intPair("padding");
        Fit fit = (Boolean) g.params().get("ceil_mode") ? Fit.CEIL : Fit.FLOOR;
        Layer pool;
        if (name.startsWith("maxpool")) {
            int[] d = g.intPair("dilation");
            pool = MaxPool2d.of(k[0], k[1]).withStride(s[0], s[1]).withPadding(p[0], p[1]).withDilation(d[0], d[1])
                    .withFit(fit);
        } else if (name.startsWith("avgpool")) {
            pool = AvgPool2d.of(k[0], k[1]).withStride(s[0], s[1]).withPadding(p[0], p[1])
                    .withCountIncludePad((Boolean) g.params().get("count_include_pad")).withFit(fit);
        } else {
            pool = LpPool2d.of(k[0], k[1]).withNormType(g.number("norm_type")).withStride(s[0], s[1]).withFit(fit);
        }
        Tensor x = g.tensor("x");
        pool.build(x.shape().dropFirst());
        Tensor[] r = onGpu(pool, x, g.tensor("gy"));
        g.check("y", r[0]);
        g.check("gx", r[1]);
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
        Tensor[] r = onGpu(dense, x, g.tensor("gy"));
        g.check("y", r[0]);
        g.check("gx", r[1]);
        g.check("gw", dense.weight().grad());
        if (bias) {
            g.check("gb", dense.bias().grad());
        }
    }

    static List<String> activationCases() {
        return List.of("relu", "leaky_relu", "sigmoid", "tanh", "softmax_dim1", "log_softmax_dim1");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("activationCases")
    void activations(String name) {
        Golden g = Golden.load(name);
        Layer layer = switch (name) {
            case "relu" -> ReLU.of();
            case "leaky_relu" -> LeakyReLU.of(g.number("negative_slope"));
            case "sigmoid" -> Sigmoid.of();
            case "tanh" -> Tanh.of();
            case "softmax_dim1" -> Softmax.of();
            default -> LogSoftmax.of();
        };
        Tensor x = g.tensor("x");
        layer.build(x.shape().dropFirst());
        Tensor[] r = onGpu(layer, x, g.tensor("gy"));
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
        Tensor[] r = onGpu(bn, g.tensor("x"), g.tensor("gy"));
        g.check("y", r[0]);
        g.check("running_mean_out", bn.runningMean().value());
        g.check("running_var_out", bn.runningVar().value());
        g.check("gx", r[1]);
        g.check("gw", bn.weight().grad());
        g.check("gb", bn.bias().grad());
    }

    @Test
    void batchNormEval() {
        Golden g = Golden.load("batchnorm2d_eval");
        g.check("y", evalOnGpu(batchNorm(g), g.tensor("x")));
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
        lc.weight().value().copyFrom(g.tensor("w"));
        if (bias) {
            lc.bias().value().copyFrom(g.tensor("b"));
        }
        Tensor[] r = onGpu(lc, x, g.tensor("gy"));
        g.check("y", r[0]);
        g.check("gx", r[1]);
        g.check("gw", lc.weight().grad());
    }

    static Stream<String> optimizerCases() {
        return Golden.casesOf("optimizer").stream();
    }

    /** The optimizer's update on the device: a parameter of the case's values, stepped with the case's gradient. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizerCases")
    void optimizers(String name) {
        Golden g = Golden.load(name);
        Tensor p0 = g.tensor("p0");
        Dense holder = Dense.of(p0.size()).withInFeatures(1).withBias(false);
        Sequential model = Sequential.of(holder);
        model.build(Shape.of(1));
        System.arraycopy(p0.data(), 0, holder.weight().value().data(), 0, p0.size());
        Optimizer opt = OptimizerGoldenTest.config(g).create(model.namedParameters());
        Tensor grad = g.tensor("g");
        try (CudaEngine e = new CudaEngine(model, null, opt, 42, false, true)) {
            for (int step = 1; step <= 3; step++) {
                System.arraycopy(grad.data(), 0, holder.weight().grad().data(), 0, grad.size());
                e.stepWithHostGradients(opt.learningRate());
                e.synchronize();
                g.check("p" + step, Tensor.wrap(holder.weight().value().data().clone(), p0.shape()));
            }
        }
    }

    static Stream<String> lossCases() {
        return Golden.casesOf("cross_entropy").stream();
    }

    /** The fused loss kernel's mean loss, through a training step of a model that passes the logits through. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("lossCases")
    void crossEntropy(String name) {
        Golden g = Golden.load(name);
        Tensor x = g.tensor("x");
        double smoothing = g.number("label_smoothing");
        Sequential model = Sequential.of(Flatten.of());
        model.build(x.shape().dropFirst());
        Optimizer opt = Adam.Config.of(1e-3).create(model.namedParameters());
        try (CudaEngine e = new CudaEngine(model, new SoftmaxCrossEntropy(smoothing), opt, 42, false, false)) {
            double loss = e.trainStep(x, g.ints("labels"), 1e-3, new int[x.dim(0)]);
            g.check("loss", Tensor.of(new float[] {(float) loss}, 1));
        }
    }

    /** Three Adam steps of seed 000's network on the GPU: PyTorch's losses and final weights and statistics. */
    @Test
    void threeAdamStepsOfTheFashionNetwork() {
        Golden g = Golden.load("e2e_mnistnet_adam_3steps");
        Sequential model = Sequential.builder()
                .add("conv1", Conv2d.of(16, 5).withPadding(2)).add("bn1", BatchNorm2d.of()).add("relu1", ReLU.of())
                .add("pool1", MaxPool2d.of(2))
                .add("conv2", Conv2d.of(32, 5).withPadding(2)).add("bn2", BatchNorm2d.of()).add("relu2", ReLU.of())
                .add("pool2", MaxPool2d.of(2))
                .add("flatten", Flatten.of()).add("fc", Dense.of(10)).build();
        model.build(Shape.of(1, 28, 28));
        Map<String, Parameter> params = model.namedParameters();
        Map<String, Parameter> buffers = model.namedBuffers();
        params.forEach((k, p) -> p.value().copyFrom(g.tensor("init." + k)));
        buffers.forEach((k, p) -> p.value().copyFrom(g.tensor("init." + k)));
        @SuppressWarnings("unchecked")
        Map<String, Object> opt = (Map<String, Object>) g.params().get("optimizer_params");
        double lr = ((Number) opt.get("lr")).doubleValue();
        Optimizer adam = Adam.Config.of(lr).create(params);
        float[] losses = new float[3];
        Tensor x = g.tensor("x");
        try (CudaEngine e = new CudaEngine(model, new SoftmaxCrossEntropy(), adam, 42, false, false)) {
            assertTrue(e.hostOps().isEmpty(), "every layer of this network has GPU kernels: " + e.hostOps());
            for (int step = 0; step < 3; step++) {
                losses[step] = (float) e.trainStep(x, g.ints("labels"), lr, new int[x.dim(0)]);
            }
            e.synchronize();
        }
        g.check("losses", Tensor.of(losses, 3));
        params.forEach((k, p) -> g.check("final." + k, p.value()));
        buffers.forEach((k, p) -> g.check("final." + k, p.value()));
        assertEquals(3, adam.state().get("fc.weight/step").data()[1]);
    }
}
