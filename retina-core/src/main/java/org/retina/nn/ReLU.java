package org.retina.nn;

import java.util.Map;
import org.retina.kernel.Activations;

/** Rectified linear unit, {@code y = max(x, 0)}, elementwise on any shape. */
public final class ReLU extends Elementwise {

    private ReLU() { // ReLU.of() makes one
    }

    /** A rectifier; it has no settings. */
    public static ReLU of() {
        return new ReLU();
    }

    @Override
    void apply(float[] x, float[] y, int n) {
        Activations.relu(x, y, n);
    }

    @Override
    boolean gradientFromOutput() {
        return true;
    }

    @Override
    void applyBackward(float[] y, float[] gradOut, float[] gradIn, int n) {
        Activations.reluBackward(y, gradOut, gradIn, n);
    }

    @Override
    public BlockPart blockPart() {
        return BlockPart.activation(ConvBlock.Activation.RELU);
    }

    @Override
    public String type() {
        return "ReLU";
    }

    /** The inverse of {@link #config()}. */
    public static ReLU fromConfig(Map<String, Object> map) {
        return new ReLU();
    }
}
