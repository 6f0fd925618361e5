package org.retina.nn;

import java.util.Map;
import org.retina.kernel.PointwiseKernels;

/**
 * Softplus, {@code y = log(1 + exp(beta * x)) / beta}, linear ({@code y = x}) where {@code beta * x > threshold}
 * for numerical stability (PyTorch's defaults: beta 1, threshold 20); elementwise on any shape.
 */
public final class Softplus extends Elementwise {

    /** The sharpness {@code beta > 0} and the linear threshold. */
    public record Config(double beta, double threshold) {
        /** Checks that {@code beta} is finite and above 0 and {@code threshold} is finite. */
        public Config {
            PoolWindow.positive("Softplus", "beta", beta);
            if (!Double.isFinite(threshold)) {
                throw new IllegalArgumentException("Softplus: threshold is " + threshold + ", expected a finite number");
            }
        }
    }

    private static final SettingsCodec<Config> CODEC = SettingsCodec.of("Softplus", new Config(1, 20));

    private final Config config;

    /** A softplus with the given settings. */
    public Softplus(Config config) {
        this.config = config;
    }

    /** Beta 1, threshold 20. */
    public static Softplus of() {
        return new Softplus(new Config(1, 20));
    }

    /** With the sharpness {@code beta}: larger is closer to ReLU. */
    public Softplus withBeta(double beta) {
        return new Softplus(CODEC.with(config, "beta", beta));
    }

    /** With the value of {@code beta * x} above which the output is {@code x} itself. */
    public Softplus withThreshold(double threshold) {
        return new Softplus(CODEC.with(config, "threshold", threshold));
    }

    /** The settings this layer was made with. */
    public Config settings() {
        return config;
    }

    @Override
    void apply(float[] x, float[] y, int n) {
        PointwiseKernels.softplus(x, y, n, (float) config.beta, (float) config.threshold);
    }

    @Override
    void applyBackward(float[] x, float[] gradOut, float[] gradIn, int n) {
        PointwiseKernels.softplusBackward(x, gradOut, gradIn, n, (float) config.beta, (float) config.threshold);
    }

    @Override
    public String type() {
        return "Softplus";
    }

    @Override
    public Map<String, Object> config() {
        return CODEC.write(config);
    }

    /** The inverse of {@link #config()}. */
    public static Softplus fromConfig(Map<String, Object> map) {
        return new Softplus(CODEC.read(map));
    }

    @Override
    public String toString() {
        return CODEC.describe(config);
    }
}
