package org.retina.nn;

import java.util.Map;
import org.retina.kernel.PointwiseKernels;

/** Hard swish, {@code y = x relu6(x + 3) / 6}, elementwise on any shape (MobileNet v3's activation). */
public final class HardSwish extends Elementwise {

    private HardSwish() { // HardSwish.of() makes one
    }

    /** A hard swish; it has no settings. */
    public static HardSwish of() {
        return new HardSwish();
    }

    @Override
    void apply(float[] x, float[] y, int n) {
        PointwiseKernels.hardSwish(x, y, n);
    }

    @Override
    void applyBackward(float[] x, float[] gradOut, float[] gradIn, int n) {
        PointwiseKernels.hardSwishBackward(x, gradOut, gradIn, n);
    }

    @Override
    public String type() {
        return "HardSwish";
    }

    /** The inverse of {@link #config()}: there are no settings. */
    public static HardSwish fromConfig(Map<String, Object> map) {
        return new HardSwish();
    }
}
