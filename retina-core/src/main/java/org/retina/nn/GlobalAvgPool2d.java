package org.retina.nn;

import java.util.Map;
import org.retina.kernel.PoolKernels;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/** The mean of each channel, {@code (C, H, W) -> (C, 1, 1)}: PyTorch's AdaptiveAvgPool2d(1), ONNX GlobalAveragePool. */
public final class GlobalAvgPool2d extends GlobalPool {


    private GlobalAvgPool2d() {
    }

    /** The mean over each channel's plane. */
    public static GlobalAvgPool2d of() {
        return new GlobalAvgPool2d();
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        int n = x.dim(0);
        Tensor y = Tensor.zeros(Shape.of(n, geometry.outC(), 1, 1));
        PoolKernels.avgForward(x.data(), null, y.data(), n, geometry, true);
        if (mode == Mode.TRAIN) {
            inputShape = x.shape();
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        Tensor gradIn = Tensor.zeros(inputShape);
        PoolKernels.avgBackward(gradOut.data(), null, gradIn.data(), inputShape.dim(0), geometry, true);
        inputShape = null;
        return gradIn;
    }

    @Override
    public String type() {
        return "GlobalAvgPool2d";
    }

    /** The inverse of {@link #config()}: there are no settings. */
    public static GlobalAvgPool2d fromConfig(Map<String, Object> map) {
        return new GlobalAvgPool2d();
    }
}
