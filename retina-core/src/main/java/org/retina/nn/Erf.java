package org.retina.nn;

import java.util.Map;
import org.retina.kernel.PointwiseKernels;

/**
 * The error function, {@code y = erf(x)}, elementwise on any shape: the core of the exact GELU,
 * {@code x (1 + erf(x / sqrt 2)) / 2}, as PyTorch exports it (ConvNeXt, vision transformers).
 */
public final class Erf extends Elementwise {

    private Erf() { // Erf.of() makes one
    }

    /** An error function; it has no settings. */
    public static Erf of() {
        return new Erf();
    }

    @Override
    void apply(float[] x, float[] y, int n) {
        PointwiseKernels.erf(x, y, n);
    }

    @Override
    void applyBackward(float[] x, float[] gradOut, float[] gradIn, int n) {
        PointwiseKernels.erfBackward(x, gradOut, gradIn, n);
    }

    @Override
    public String type() {
        return "Erf";
    }

    /** The inverse of {@link #config()}: there are no settings. */
    public static Erf fromConfig(Map<String, Object> map) {
        return new Erf();
    }
}
