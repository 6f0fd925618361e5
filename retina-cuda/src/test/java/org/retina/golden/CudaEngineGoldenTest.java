package org.retina.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.retina.cuda.CudaEngine;
import org.retina.cuda.CudaLayerRunner;
import org.retina.loss.SoftmaxCrossEntropy;
import org.retina.model.Sequential;
import org.retina.nn.Dense;
import org.retina.nn.Flatten;
import org.retina.optim.Adam;
import org.retina.optim.Optimizer;
import org.retina.tensor.Parameter;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;
import org.retina.testing.Golden;

/**
 * The golden cases that need the engine rather than one layer, on the GPU (FP32: TF32 off): the optimizers' update
 * kernels, the fused loss, and three Adam steps of the fashion-cnn network. The layer cases run through
 * {@link CudaLayerRunner} ({@code CudaConvGoldenTest}, ...). Skipped, saying so, where no CUDA device is found.
 */
class CudaEngineGoldenTest {

    @BeforeEach
    void device() {
        CudaLayerRunner.assumeDevice();
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

    /** Three Adam steps of the fashion-cnn network on the GPU: PyTorch's losses and final weights and statistics. */
    @Test
    void threeAdamStepsOfTheFashionNetwork() {
        Golden g = Golden.load("e2e_mnistnet_adam_3steps");
        Sequential model = EndToEndGoldenTest.initialNetwork(g);
        Map<String, Parameter> params = model.namedParameters();
        Map<String, Parameter> buffers = model.namedBuffers();
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
