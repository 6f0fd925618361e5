package org.retina.nn;

import java.util.Map;
import org.retina.kernel.PointwiseKernels;

/**
 * Clipping, {@code y = min(max(x, min), max)} (PyTorch's Hardtanh, ONNX's Clip; ReLU6 is {@code [0, 6]});
 * the gradient passes where {@code min < x < max}. An infinite bound leaves that side open.
 */
public final class Clip extends Elementwise {

    /** The bounds, {@code min <= max}; either may be infinite. */
    public record Config(double min, double max) {
        /** Rejects NaN bounds and {@code min > max}. */
        public Config {
            if (Double.isNaN(min) || Double.isNaN(max) || min > max) {
                throw new IllegalArgumentException("Clip: bounds [" + min + ", " + max
                        + "], expected min <= max");
            }
        }
    }

    private static final SettingsCodec<Config> CODEC = SettingsCodec.of("Clip",
            new Config(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY));

    private final Config config;

    /** A clipping with the given bounds. */
    public Clip(Config config) {
        this.config = config;
    }

    /** Clipping to {@code [min, max]}; an infinite bound leaves that side open. */
    public static Clip of(double min, double max) {
        return new Clip(new Config(min, max));
    }

    /** {@code min(max(x, 0), 6)}, MobileNet's activation. */
    public static Clip relu6() {
        return of(0, 6);
    }

    /** The bounds this layer was made with. */
    public Config settings() {
        return config;
    }

    @Override
    void apply(float[] x, float[] y, int n) {
        PointwiseKernels.clip(x, y, n, (float) config.min, (float) config.max);
    }

    @Override
    void applyBackward(float[] x, float[] gradOut, float[] gradIn, int n) {
        PointwiseKernels.clipBackward(x, gradOut, gradIn, n, (float) config.min, (float) config.max);
    }

    /** ReLU6 (bounds 0 and 6) joins a block; other bounds do not. */
    @Override
    public BlockPart blockPart() {
        return config.min == 0 && config.max == 6 ? BlockPart.activation(ConvBlock.Activation.RELU6) : null;
    }

    @Override
    public String type() {
        return "Clip";
    }

    /** Infinite bounds are left out (JSON has no infinity). */
    @Override
    public Map<String, Object> config() {
        return CODEC.write(config);
    }

    /** The inverse of {@link #config()}. */
    public static Clip fromConfig(Map<String, Object> map) {
        return new Clip(CODEC.read(map));
    }

    @Override
    public String toString() {
        return CODEC.describe(config);
    }

    private static String bound(double v) {
        return Double.isInfinite(v) ? (v > 0 ? "inf" : "-inf") : PoolWindow.number(v);
    }
}
