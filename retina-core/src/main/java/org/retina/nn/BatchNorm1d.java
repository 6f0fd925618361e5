package org.retina.nn;

import java.util.Map;
import org.retina.tensor.Shape;

/**
 * Batch normalization per feature over the batch: {@code y = (x - mean) / sqrt(var + eps) * weight + bias}.
 * Training normalizes with the batch mean and biased variance and moves the running statistics by
 * {@code momentum} (unbiased variance); evaluation uses the running statistics and changes nothing.
 */
public final class BatchNorm1d extends BatchNorm<BatchNorm1d, BatchNorm1d.Config> {

    /** The settings; {@code numFeatures} 0 means inferred at build. */
    public record Config(int numFeatures, double eps, double momentum, boolean affine) {
        /** Checks that {@code eps} is finite and above 0 and {@code momentum} within [0, 1]. */
        public Config {
            validate("BatchNorm1d", numFeatures, eps, momentum);
        }
    }

    private static final SettingsCodec<Config> CODEC = SettingsCodec.of("BatchNorm1d",
            new Config(0, DEFAULT_EPS, DEFAULT_MOMENTUM, true)).positional("numFeatures");

    /** A batch normalization with the given settings, built when its model is. */
    public BatchNorm1d(Config config) {
        super(CODEC, config, config.numFeatures, config.eps, config.momentum, config.affine, "");
    }

    /** Features inferred at build, eps 1e-5, momentum 0.1, affine: PyTorch's defaults. */
    public static BatchNorm1d of() {
        return new BatchNorm1d(new Config(0, DEFAULT_EPS, DEFAULT_MOMENTUM, true));
    }

    @Override
    void checkRank(Shape in) {
        if (in.rank() != 1) {
            throw new ShapeException(type(), "input " + in + ", expected (features,); use BatchNorm2d for (channels, height, width)");
        }
    }

    @Override
    BatchNorm1d make(Config settings) {
        return new BatchNorm1d(settings);
    }

    @Override
    public String type() {
        return "BatchNorm1d";
    }

    /** The inverse of {@link #config()}. */
    public static BatchNorm1d fromConfig(Map<String, Object> map) {
        return new BatchNorm1d(CODEC.read(map));
    }
}
