package org.retina.nn;

import java.util.Map;
import org.retina.tensor.Shape;

/**
 * Batch normalization per channel over {@code (N, H, W)}: {@code y = (x - mean) / sqrt(var + eps) * weight + bias}.
 * Training normalizes with the batch mean and biased variance and moves the running statistics by
 * {@code momentum} (unbiased variance); evaluation uses the running statistics and changes nothing.
 */
public final class BatchNorm2d extends BatchNorm<BatchNorm2d, BatchNorm2d.Config> {

    /** The settings; {@code numFeatures} 0 means inferred at build. */
    public record Config(int numFeatures, double eps, double momentum, boolean affine) {
        /** Checks that {@code eps} is finite and above 0 and {@code momentum} within [0, 1]. */
        public Config {
            validate("BatchNorm2d", numFeatures, eps, momentum);
        }
    }

    private static final SettingsCodec<Config> CODEC = SettingsCodec.of("BatchNorm2d",
            new Config(0, DEFAULT_EPS, DEFAULT_MOMENTUM, true)).positional("numFeatures");

    /** A batch normalization with the given settings, built when its model is. */
    public BatchNorm2d(Config config) {
        this(config, "");
    }

    BatchNorm2d(Config config, String prefix) {
        super(CODEC, config, config.numFeatures, config.eps, config.momentum, config.affine, prefix);
    }

    /** Features inferred at build, eps 1e-5, momentum 0.1, affine: PyTorch's defaults. */
    public static BatchNorm2d of() {
        return new BatchNorm2d(new Config(0, DEFAULT_EPS, DEFAULT_MOMENTUM, true));
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
    BatchNorm2d make(Config settings) {
        return new BatchNorm2d(settings);
    }

    @Override
    public String type() {
        return "BatchNorm2d";
    }

    /** The inverse of {@link #config()}. */
    public static BatchNorm2d fromConfig(Map<String, Object> map) {
        return new BatchNorm2d(CODEC.read(map));
    }
}
