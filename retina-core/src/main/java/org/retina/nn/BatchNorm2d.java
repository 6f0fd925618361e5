package org.retina.nn;

import java.util.Map;
import org.retina.tensor.Shape;

/**
 * Batch normalization per channel over {@code (N, H, W)}: {@code y = (x - mean) / sqrt(var + eps) * weight + bias}.
 * Training normalizes with the batch mean and biased variance and moves the running statistics by
 * {@code momentum} (unbiased variance); evaluation uses the running statistics and changes nothing.
 */
public final class BatchNorm2d extends BatchNorm {

    /** The settings; {@code numFeatures} 0 means inferred at build. */
    public record Config(int numFeatures, double eps, double momentum, boolean affine) {
        /** Checks that {@code eps} is finite and above 0 and {@code momentum} within [0, 1]. */
        public Config {
            validate("BatchNorm2d", numFeatures, eps, momentum);
        }
    }

    private static final SettingsCodec<Config> CODEC = SettingsCodec.of("BatchNorm2d",
            new Config(0, DEFAULT_EPS, DEFAULT_MOMENTUM, true)).positional("numFeatures");

    private final Config config;

    /** A batch normalization with the given settings, built when its model is. */
    public BatchNorm2d(Config config) {
        this(config, "");
    }

    BatchNorm2d(Config config, String prefix) {
        super(config.numFeatures, config.eps, config.momentum, config.affine, prefix);
        this.config = config;
    }

    /** Features inferred at build, eps 1e-5, momentum 0.1, affine: PyTorch's defaults. */
    public static BatchNorm2d of() {
        return new BatchNorm2d(new Config(0, DEFAULT_EPS, DEFAULT_MOMENTUM, true));
    }

    /** With the feature count stated, checked at build (inferred when not stated). */
    public BatchNorm2d withNumFeatures(int n) {
        return new BatchNorm2d(CODEC.with(config, "numFeatures", n));
    }

    /** With {@code eps}, added to the variance for stability (1e-5 by default). */
    public BatchNorm2d withEps(double eps) {
        return new BatchNorm2d(CODEC.with(config, "eps", eps));
    }

    /** With {@code momentum}, the weight of each batch in the running statistics (0.1 by default). */
    public BatchNorm2d withMomentum(double momentum) {
        return new BatchNorm2d(CODEC.with(config, "momentum", momentum));
    }

    /** Without affine, no weight and bias are learned: {@code y = (x - mean) / sqrt(var + eps)}. */
    public BatchNorm2d withAffine(boolean affine) {
        return new BatchNorm2d(CODEC.with(config, "affine", affine));
    }

    /** The settings this layer was made with; {@code numFeatures} stays 0 when it was inferred. */
    public Config settings() {
        return config;
    }

    @Override
    void checkRank(Shape in) {
        if (in.rank() != 3) {
            throw new ShapeException(type(), "input " + in + ", expected (channels, height, width); use BatchNorm1d for (features,)");
        }
    }

    @Override
    public BlockPart blockPart() {
        return BlockPart.of(BlockPart.Stage.NORM);
    }

    @Override
    public String type() {
        return "BatchNorm2d";
    }

    /** The inverse of {@link #config()}. */
    public static BatchNorm2d fromConfig(Map<String, Object> map) {
        return new BatchNorm2d(CODEC.read(map));
    }

    @Override
    public Map<String, Object> config() {
        return CODEC.write(config);
    }

    /** {@code BatchNorm2d(16, eps=0.001)}: the channel count when known, then only the non-defaults. */
    @Override
    public String toString() {
        return CODEC.describe(config, "numFeatures", builtChannels());
    }
}
