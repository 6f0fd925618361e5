package org.retina.nn;

import java.util.Map;
import org.retina.kernel.PoolKernels;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/** The maximum of each channel, {@code (C, H, W) -> (C, 1, 1)}: PyTorch's AdaptiveMaxPool2d(1), ONNX GlobalMaxPool. */
public final class GlobalMaxPool2d extends GlobalPool {

    private int[] argMax;

    private GlobalMaxPool2d() {
    }

    /** The maximum over each channel's plane. */
    public static GlobalMaxPool2d of() {
        return new GlobalMaxPool2d();
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        int n = x.dim(0);
        Tensor y = Tensor.zeros(Shape.of(n, geometry.outC(), 1, 1));
        int[] arg = mode == Mode.TRAIN ? new int[y.size()] : null;
        PoolKernels.maxForward(x.data(), y.data(), arg, n, geometry);
        if (mode == Mode.TRAIN) {
            argMax = arg;
            inputShape = x.shape();
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        Tensor gradIn = Tensor.zeros(inputShape);
        PoolKernels.maxBackward(gradOut.data(), argMax, gradIn.data(), inputShape.dim(0), geometry);
        argMax = null;
        inputShape = null;
        return gradIn;
    }

    @Override
    public String type() {
        return "GlobalMaxPool2d";
    }

    /** The inverse of {@link #config()}: there are no settings. */
    public static GlobalMaxPool2d fromConfig(Map<String, Object> map) {
        return new GlobalMaxPool2d();
    }
}
