package org.retina.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.retina.loss.MeanSquaredError;
import org.retina.loss.SoftmaxCrossEntropy;
import org.retina.model.Sequential;
import org.retina.nn.Dense;
import org.retina.nn.LpPool2d;
import org.retina.nn.ReLU;
import org.retina.optim.GradClip;
import org.retina.optim.Optimizer;
import org.retina.optim.Sgd;
import org.retina.tensor.Rng;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/** The GPU engine's own behaviour beside the golden cases: clipping, fallbacks, refusals. */
class CudaEngineTest {

    @BeforeEach
    void device() {
        CudaLayerRunner.assumeDevice();
    }

    private static Sequential dense(int in, int out) {
        Sequential m = Sequential.of(Dense.of(out).withBias(false));
        m.build(Shape.of(in));
        return m;
    }

    @Test
    void clippingMatchesTheCpuRule() {
        Rng rng = new Rng(3);
        float[] grads = new float[12 * 40];
        for (int i = 0; i < grads.length; i++) {
            grads[i] = (float) (rng.nextGaussian() * 5);
        }
        Sequential cpu = dense(40, 12);
        Sequential gpu = dense(40, 12);
        Dense cpuLayer = (Dense) cpu.nodes().getFirst().component();
        Dense gpuLayer = (Dense) gpu.nodes().getFirst().component();
        System.arraycopy(grads, 0, cpuLayer.weight().grad().data(), 0, grads.length);
        System.arraycopy(grads, 0, gpuLayer.weight().grad().data(), 0, grads.length);
        gpuLayer.weight().value().copyFrom(cpuLayer.weight().value());
        Optimizer cpuSgd = Sgd.Config.of(0.1).create(cpu.namedParameters());
        double norm = GradClip.byNorm(cpu.namedParameters().values(), 1.0);
        assertTrue(norm > 10, "the gradients are large enough to be clipped: " + norm);
        cpuSgd.step();
        Optimizer gpuSgd = Sgd.Config.of(0.1).create(gpu.namedParameters());
        try (CudaEngine e = new CudaEngine(gpu, null, gpuSgd, 1, false, true).withClipNorm(1.0)) {
            e.stepWithHostGradients(0.1);
            e.synchronize();
        }
        float[] want = cpuLayer.weight().value().data();
        float[] got = gpuLayer.weight().value().data();
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-6, "weight " + i);
        }
    }

    @Test
    void layersWithoutKernelsRunOnTheHost() {
        Sequential m = Sequential.builder().add("lp", LpPool2d.of(2)).add("relu", ReLU.of()).build();
        m.build(Shape.of(2, 4, 4));
        Tensor x = Tensor.zeros(Shape.of(3, 2, 4, 4));
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = (i % 7) - 3;
        }
        try (CudaEngine e = new CudaEngine(m, null, null, 1, false, false)) {
            assertEquals(List.of("lp"), e.hostOps());
            assertArrayEquals(m.forward(x, org.retina.nn.Mode.EVAL).data(), e.forward(x).data(), 1e-6f);
        }
    }

    @Test
    void refusesWhatItCannotTrain() {
        Sequential m = dense(4, 3);
        Optimizer sgd = Sgd.Config.of(0.1).create(m.namedParameters());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CudaEngine(m, new MeanSquaredError(), sgd, 1, false, false));
        assertTrue(e.getMessage().contains("softmax cross-entropy"), e.getMessage());
        try (CudaEngine ok = new CudaEngine(m, new SoftmaxCrossEntropy(), sgd, 1, false, false)) {
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                    () -> ok.trainStep(Tensor.zeros(Shape.of(2, 4)), new int[] {0, 3}, 0.1, new int[2]));
            assertTrue(bad.getMessage().contains("label 3"), bad.getMessage());
        }
    }
}
