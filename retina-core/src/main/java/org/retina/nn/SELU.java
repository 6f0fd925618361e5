package org.retina.nn;

import java.util.Map;
import org.retina.kernel.PointwiseKernels;

/** Scaled ELU, {@code y = SCALE * (x > 0 ? x : ALPHA * (exp(x) - 1))} with the self-normalizing constants. */
public final class SELU extends Elementwise {
    /** PyTorch's (and the SELU paper's) alpha. */
    public static final double ALPHA = 1.6732632423543772848170429916717;
    /** PyTorch's (and the SELU paper's) scale, ONNX's gamma. */
    public static final double SCALE = 1.0507009873554804934193349852946;

    private SELU() { // SELU.of() makes one
    }

    /** A SELU with the fixed constants; it has no settings. */
    public static SELU of() {
        return new SELU();
    }

    @Override
    void apply(float[] x, float[] y, int n) {
        PointwiseKernels.elu(x, y, n, (float) ALPHA, (float) SCALE);
    }

    @Override
    void applyBackward(float[] x, float[] gradOut, float[] gradIn, int n) {
        PointwiseKernels.eluBackward(x, gradOut, gradIn, n, (float) ALPHA, (float) SCALE);
    }

    @Override
    public String type() {
        return "SELU";
    }

    /** The inverse of {@link #config()}: there are no settings. */
    public static SELU fromConfig(Map<String, Object> map) {
        return new SELU();
    }
}
