package org.retina.nn;

import java.util.Map;
import org.retina.kernel.PointwiseKernels;

/** Exponential linear unit, {@code y = x > 0 ? x : alpha * (exp(x) - 1)} (default alpha 1), elementwise on any shape. */
public final class ELU extends Elementwise {

    /** The saturation value for negative inputs, {@code -alpha}; any finite alpha. */
    public record Config(double alpha) {
        /** Checks that {@code alpha} is finite. */
        public Config {
            if (!Double.isFinite(alpha)) {
                throw new IllegalArgumentException("ELU: alpha is " + alpha + ", expected a finite number");
            }
        }
    }

    private static final SettingsCodec<Config> CODEC = SettingsCodec.of("ELU", new Config(1.0));

    private final Config config;

    /** An ELU with the given settings. */
    public ELU(Config config) {
        this.config = config;
    }

    /** With PyTorch's default alpha, 1. */
    public static ELU of() {
        return of(1.0);
    }

    /** An ELU saturating at {@code -alpha} for negative inputs. */
    public static ELU of(double alpha) {
        return new ELU(new Config(alpha));
    }

    /** The settings this layer was made with. */
    public Config settings() {
        return config;
    }

    @Override
    void apply(float[] x, float[] y, int n) {
        PointwiseKernels.elu(x, y, n, (float) config.alpha, 1f);
    }

    @Override
    void applyBackward(float[] x, float[] gradOut, float[] gradIn, int n) {
        PointwiseKernels.eluBackward(x, gradOut, gradIn, n, (float) config.alpha, 1f);
    }

    @Override
    public String type() {
        return "ELU";
    }

    @Override
    public Map<String, Object> config() {
        return CODEC.write(config);
    }

    /** The inverse of {@link #config()}. */
    public static ELU fromConfig(Map<String, Object> map) {
        return new ELU(CODEC.read(map));
    }

    @Override
    public String toString() {
        return CODEC.describe(config);
    }
}
