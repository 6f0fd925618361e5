package org.retina.cuda;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import org.retina.model.Sequential;
import org.retina.nn.Layer;
import org.retina.tensor.Parameter;
import org.retina.tensor.Tensor;
import org.retina.testing.LayerRunner;

/**
 * Runs a layer on the GPU as a one-layer model, FP32 (TF32 off), with the weights and buffers the test gave it.
 * Where no CUDA device can be used, the test is skipped, saying so.
 */
public final class CudaLayerRunner implements LayerRunner {
    /** Why the device cannot be used here, or null. */
    public static final String UNAVAILABLE = new CudaProvider().unavailableReason();
    public static final CudaLayerRunner INSTANCE = new CudaLayerRunner();

    private CudaLayerRunner() {
    }

    /** Skips the calling test when there is no usable CUDA device. */
    public static void assumeDevice() {
        assumeTrue(UNAVAILABLE == null, "skipped: no CUDA device (" + UNAVAILABLE + ")");
    }

    /** The layer in a model built for {@code x}'s sample shape, its weights and buffers as they were. */
    private static Sequential model(Layer layer, Tensor x) {
        List<float[]> saved = new ArrayList<>();
        List<Parameter> state = new ArrayList<>(layer.parameters());
        state.addAll(layer.buffers());
        state.forEach(p -> saved.add(p.value().data().clone()));
        Sequential model = Sequential.of(layer);
        model.build(x.shape().dropFirst());
        List<Parameter> rebuilt = new ArrayList<>(layer.parameters());
        rebuilt.addAll(layer.buffers());
        for (int i = 0; i < rebuilt.size(); i++) {
            System.arraycopy(saved.get(i), 0, rebuilt.get(i).value().data(), 0, rebuilt.get(i).size());
        }
        return model;
    }

    @Override
    public Tensor[] train(Layer layer, Tensor x, Tensor gradOut) {
        assumeDevice();
        try (CudaEngine e = new CudaEngine(model(layer, x), null, null, 42, false, true)) {
            return e.forwardBackward(x, gradOut);
        }
    }

    @Override
    public Tensor eval(Layer layer, Tensor x) {
        assumeDevice();
        try (CudaEngine e = new CudaEngine(model(layer, x), null, null, 42, false, false)) {
            return e.forward(x);
        }
    }
}
