package org.retina.nn;

import java.util.Map;
import org.retina.kernel.PointwiseKernels;

/** Softsign, {@code y = x / (1 + |x|)}, elementwise on any shape. */
public final class Softsign extends Elementwise {

    private Softsign() { // Softsign.of() makes one
    }

    /** A softsign; it has no settings. */
    public static Softsign of() {
        return new Softsign();
    }

    @Override
    void apply(float[] x, float[] y, int n) {
        PointwiseKernels.softsign(x, y, n);
    }

    @Override
    void applyBackward(float[] x, float[] gradOut, float[] gradIn, int n) {
        PointwiseKernels.softsignBackward(x, gradOut, gradIn, n);
    }

    @Override
    public String type() {
        return "Softsign";
    }

    /** The inverse of {@link #config()}: there are no settings. */
    public static Softsign fromConfig(Map<String, Object> map) {
        return new Softsign();
    }
}
