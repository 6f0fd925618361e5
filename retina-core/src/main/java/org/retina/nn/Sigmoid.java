package org.retina.nn;

import java.util.Map;
import org.retina.kernel.Activations;

/** Logistic sigmoid, {@code y = 1 / (1 + exp(-x))}, elementwise on any shape. */
public final class Sigmoid extends Elementwise {

    private Sigmoid() { // Sigmoid.of() makes one
    }

    /** A sigmoid; it has no settings. */
    public static Sigmoid of() {
        return new Sigmoid();
    }

    @Override
    void apply(float[] x, float[] y, int n) {
        Activations.sigmoid(x, y, n);
    }

    @Override
    boolean gradientFromOutput() {
        return true;
    }

    @Override
    void applyBackward(float[] y, float[] gradOut, float[] gradIn, int n) {
        Activations.sigmoidBackward(y, gradOut, gradIn, n);
    }

    @Override
    public String type() {
        return "Sigmoid";
    }

    /** The inverse of {@link #config()}. */
    public static Sigmoid fromConfig(Map<String, Object> map) {
        return new Sigmoid();
    }
}
