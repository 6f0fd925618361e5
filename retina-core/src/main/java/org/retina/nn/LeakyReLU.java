package org.retina.nn;

import java.util.Map;
import org.retina.kernel.Activations;

/** Leaky rectifier, {@code y = x > 0 ? x : negativeSlope * x} (default slope 0.01), elementwise on any shape. */
public final class LeakyReLU extends Elementwise {
    /** PyTorch's default slope. */
    public static final double DEFAULT_SLOPE = 0.01;

    /** The slope for negative inputs; any finite value (PyTorch allows negative slopes too). */
    public record Config(double negativeSlope) {
        /** Checks that {@code negativeSlope} is finite. */
        public Config {
            if (!Double.isFinite(negativeSlope)) {
                throw new IllegalArgumentException("LeakyReLU: negativeSlope is " + negativeSlope
                        + ", expected a finite number");
            }
        }
    }

    private static final SettingsCodec<Config> CODEC = SettingsCodec.of("LeakyReLU", new Config(DEFAULT_SLOPE));

    private final Config config;

    /** A leaky rectifier with the given settings. */
    public LeakyReLU(Config config) {
        this.config = config;
    }

    /** With PyTorch's default slope, 0.01. */
    public static LeakyReLU of() {
        return of(DEFAULT_SLOPE);
    }

    /** A leaky rectifier with the given slope for negative inputs. */
    public static LeakyReLU of(double negativeSlope) {
        return new LeakyReLU(new Config(negativeSlope));
    }

    /** The settings this layer was made with. */
    public Config settings() {
        return config;
    }

    @Override
    void apply(float[] x, float[] y, int n) {
        Activations.leakyRelu(x, y, n, (float) config.negativeSlope);
    }

    @Override
    void applyBackward(float[] x, float[] gradOut, float[] gradIn, int n) {
        Activations.leakyReluBackward(x, gradOut, gradIn, n, (float) config.negativeSlope);
    }

    @Override
    public String type() {
        return "LeakyReLU";
    }

    @Override
    public Map<String, Object> config() {
        return CODEC.write(config);
    }

    /** The inverse of {@link #config()}. */
    public static LeakyReLU fromConfig(Map<String, Object> map) {
        return new LeakyReLU(CODEC.read(map));
    }

    @Override
    public String toString() {
        return CODEC.describe(config);
    }
}
