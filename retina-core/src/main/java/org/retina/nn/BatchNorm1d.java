package org.retina.nn;

import java.util.Map;
import org.retina.tensor.Shape;

/**
 * Batch normalization per feature over the batch: {@code y = (x - mean) / sqrt(var + eps) * weight + bias}.
 * Training normalizes with the batch mean and biased variance and moves the running statistics by
 * {@code momentum} (unbiased variance); evaluation uses the running statistics and changes nothing.
 */
public final class BatchNorm1d extends BatchNorm {

    /** The settings; {@code numFeatures} 0 means inferred at build. */
    public record Config(int numFeatures, double eps, double momentum, boolean affine) {
        /** Checks that {@code eps} is finite and above 0 and {@code momentum} within [0, 1]. */
        public Config {
            validate("BatchNorm1d", numFeatures, eps, momentum);
        }
    }

    private static final SettingsCodec<Config> CODEC = SettingsCodec.of("BatchNorm1d",
            new Config(0, DEFAULT_EPS, DEFAULT_MOMENTUM, true)).positional("numFeatures");

    private final Config config;

    /** A batch normalization with the given settings, built when its model is. */
    public BatchNorm1d(Config config) {
        super(config.numFeatures, config.eps, config.momentum, config.affine, "");
        this.config = config;
    }

    /** Features inferred at build, eps 1e-5, momentum 0.1, affine: PyTorch's defaults. */
    public static BatchNorm1d of() {
        return new BatchNorm1d(new Config(0, DEFAULT_EPS, DEFAULT_MOMENTUM, true));
    }

    /** With the feature count stated, checked at build (inferred when not stated). */
    public BatchNorm1d withNumFeatures(int n) {
        return new BatchNorm1d(CODEC.with(config, "numFeatures", n));
    }

    /** With {@code eps}, added to the variance for stability (1e-5 by default). */
    public BatchNorm1d withEps(double eps) {
        return new BatchNorm1d(CODEC.with(config, "eps", eps));
    }

    /** With {@code momentum}, the weight of each batch in the running statistics (0.1 by default). */
    public BatchNorm1d withMomentum(double momentum) {
        return new BatchNorm1d(CODEC.with(config, "momentum", momentum));
    }

    /** Without affine, no weight and bias are learned: {@code y = (x - mean) / sqrt(var + eps)}. */
    public BatchNorm1d withAffine(boolean affine) {
        return new BatchNorm1d(CODEC.with(config, "affine", affine));
    }

    /** The settings this layer was made with; {@code numFeatures} stays 0 when it was inferred. */
    public Config settings() {
        return config;
    }

    @Override
    void checkRank(Shape in) {
        if (in.rank() != 1) {
            throw new ShapeException(type(), "input " + in + ", expected (features,); use BatchNorm2d for (channels, height, width)");
        }
    }

    @Override
    public String type() {
        return "BatchNorm1d";
    }

    /** The inverse of {@link #config()}. */
    public static BatchNorm1d fromConfig(Map<String, Object> map) {
        return new BatchNorm1d(CODEC.read(map));
    }

    @Override
    public Map<String, Object> config() {
        return CODEC.write(config);
    }

    /** {@code BatchNorm1d(16, eps=0.001)}: the channel count when known, then only the non-defaults. */
    @Override
    public String toString() {
        return CODEC.describe(config, "numFeatures", builtChannels());
    }
}
