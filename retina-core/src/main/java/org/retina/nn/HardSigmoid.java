package org.retina.nn;

import java.util.Map;
import org.retina.kernel.PointwiseKernels;

/**
 * Hard sigmoid, {@code y = min(max(alpha x + beta, 0), 1)}, elementwise on any shape: PyTorch's
 * {@code nn.Hardsigmoid} is alpha 1/6, beta 1/2 (the default here), ONNX's default alpha 0.2, beta 0.5.
 */
public final class HardSigmoid extends Elementwise {
    /** PyTorch's slope, 1/6. */
    public static final double DEFAULT_ALPHA = 1.0 / 6;
    /** PyTorch's offset, 1/2. */
    public static final double DEFAULT_BETA = 0.5;

    /** The slope and offset of the line between the two flat parts. */
    public record Config(double alpha, double beta) {
        /** Checks that both are finite and the slope is not zero. */
        public Config {
            if (!Double.isFinite(alpha) || !Double.isFinite(beta) || alpha == 0) {
                throw new IllegalArgumentException("HardSigmoid: alpha " + alpha + ", beta " + beta
                        + ", expected finite numbers and alpha not 0");
            }
        }
    }

    private static final SettingsCodec<Config> CODEC = SettingsCodec.of("HardSigmoid",
            new Config(DEFAULT_ALPHA, DEFAULT_BETA));

    private final Config config;

    /** A hard sigmoid with the given settings. */
    public HardSigmoid(Config config) {
        this.config = config;
    }

    /** PyTorch's {@code nn.Hardsigmoid}: {@code relu6(x + 3) / 6}. */
    public static HardSigmoid of() {
        return of(DEFAULT_ALPHA, DEFAULT_BETA);
    }

    /** A hard sigmoid with slope {@code alpha} and offset {@code beta} (ONNX's attributes). */
    public static HardSigmoid of(double alpha, double beta) {
        return new HardSigmoid(new Config(alpha, beta));
    }

    /** The settings this layer was made with. */
    public Config settings() {
        return config;
    }

    @Override
    void apply(float[] x, float[] y, int n) {
        PointwiseKernels.hardSigmoid(x, y, n, (float) config.alpha, (float) config.beta);
    }

    @Override
    void applyBackward(float[] x, float[] gradOut, float[] gradIn, int n) {
        PointwiseKernels.hardSigmoidBackward(x, gradOut, gradIn, n, (float) config.alpha, (float) config.beta);
    }

    @Override
    public String type() {
        return "HardSigmoid";
    }

    @Override
    public Map<String, Object> config() {
        return CODEC.write(config);
    }

    /** The inverse of {@link #config()}. */
    public static HardSigmoid fromConfig(Map<String, Object> map) {
        return new HardSigmoid(CODEC.read(map));
    }

    @Override
    public String toString() {
        return CODEC.describe(config);
    }
}
