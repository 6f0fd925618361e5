package org.retina.tensor;

/**
 * Weight initializers, PyTorch's formulas: Kaiming (He) normal and uniform, Xavier (Glorot), zeros, constant.
 * {@code fanIn} for a conv weight {@code [out, in/groups, kh, kw]} is {@code in/groups*kh*kw}.
 */
public final class Init {
    private Init() {
    }

    /** The gain PyTorch uses for ReLU: sqrt(2). */
    public static final double RELU_GAIN = Math.sqrt(2.0);

    /** Fills {@code t} with zeros. */
    public static void zeros(Tensor t) {
        t.fill(0f);
    }

    /** Fills {@code t} with {@code value}. */
    public static void constant(Tensor t, float value) {
        t.fill(value);
    }

    /** Uniform in [-bound, bound). */
    public static void uniform(Tensor t, double bound, Rng rng) {
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) ((2.0 * rng.nextDouble() - 1.0) * bound);
        }
    }

    /** Normal with mean 0 and standard deviation {@code std}. */
    public static void normal(Tensor t, double std, Rng rng) {
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (rng.nextGaussian() * std);
        }
    }

    /** He normal: std = gain / sqrt(fanIn). */
    public static void kaimingNormal(Tensor t, int fanIn, double gain, Rng rng) {
        normal(t, gain / Math.sqrt(fanIn), rng);
    }

    /** He uniform: bound = gain * sqrt(3 / fanIn). */
    public static void kaimingUniform(Tensor t, int fanIn, double gain, Rng rng) {
        uniform(t, gain * Math.sqrt(3.0 / fanIn), rng);
    }

    /** Glorot uniform: bound = gain * sqrt(6 / (fanIn + fanOut)). */
    public static void xavierUniform(Tensor t, int fanIn, int fanOut, double gain, Rng rng) {
        uniform(t, gain * Math.sqrt(6.0 / (fanIn + fanOut)), rng);
    }

    /** Glorot normal: std = gain * sqrt(2 / (fanIn + fanOut)). */
    public static void xavierNormal(Tensor t, int fanIn, int fanOut, double gain, Rng rng) {
        normal(t, gain * Math.sqrt(2.0 / (fanIn + fanOut)), rng);
    }

    /**
     * PyTorch's default for conv and linear layers: weight Kaiming-uniform with a = sqrt(5), which is
     * uniform in +-1/sqrt(fanIn), and bias uniform in +-1/sqrt(fanIn).
     */
    public static void pytorchDefault(Tensor weight, Tensor bias, int fanIn, Rng rng) {
        double bound = 1.0 / Math.sqrt(fanIn);
        uniform(weight, bound, rng);
        if (bias != null) {
            uniform(bias, bound, rng);
        }
    }
}
