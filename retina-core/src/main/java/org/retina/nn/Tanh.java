package org.retina.nn;

import java.util.Map;
import org.retina.kernel.Activations;

/** Hyperbolic tangent, {@code y = tanh(x)}, elementwise on any shape. */
public final class Tanh extends Elementwise {

    private Tanh() { // Tanh.of() makes one
    }

    /** A tanh; it has no settings. */
    public static Tanh of() {
        return new Tanh();
    }

    @Override
    void apply(float[] x, float[] y, int n) {
        Activations.tanh(x, y, n);
    }

    @Override
    boolean gradientFromOutput() {
        return true;
    }

    @Override
    void applyBackward(float[] y, float[] gradOut, float[] gradIn, int n) {
        Activations.tanhBackward(y, gradOut, gradIn, n);
    }

    @Override
    public BlockPart blockPart() {
        return BlockPart.activation(ConvBlock.Activation.TANH);
    }

    @Override
    public String type() {
        return "Tanh";
    }

    /** The inverse of {@link #config()}. */
    public static Tanh fromConfig(Map<String, Object> map) {
        return new Tanh();
    }
}
