package org.retina.nn;

import java.util.Map;
import org.retina.kernel.PointwiseKernels;

/** SiLU (swish), {@code y = x sigmoid(x)}, elementwise on any shape (EfficientNet's activation). */
public final class SiLU extends Elementwise {

    private SiLU() { // SiLU.of() makes one
    }

    /** A SiLU; it has no settings. */
    public static SiLU of() {
        return new SiLU();
    }

    @Override
    void apply(float[] x, float[] y, int n) {
        PointwiseKernels.silu(x, y, n);
    }

    @Override
    void applyBackward(float[] x, float[] gradOut, float[] gradIn, int n) {
        PointwiseKernels.siluBackward(x, gradOut, gradIn, n);
    }

    @Override
    public BlockPart blockPart() {
        return BlockPart.activation(ConvBlock.Activation.SILU);
    }

    @Override
    public String type() {
        return "SiLU";
    }

    /** The inverse of {@link #config()}: there are no settings. */
    public static SiLU fromConfig(Map<String, Object> map) {
        return new SiLU();
    }
}
