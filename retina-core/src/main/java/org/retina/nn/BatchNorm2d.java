package org.retina.nn;

import java.util.List;
import java.util.Map;
import org.retina.tensor.Parameter;
import org.retina.tensor.Rng;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * Batch normalization per channel over {@code (N, H, W)}: {@code y = (x - mean) / sqrt(var + eps) * weight + bias}.
 * Training normalizes with the batch mean and biased variance and moves the running statistics by
 * {@code momentum} (unbiased variance); evaluation uses the running statistics and changes nothing.
 */
public final class BatchNorm2d implements Layer {

    /** The settings; {@code numFeatures} 0 means inferred at build. */
    public record Config(int numFeatures, double eps, double momentum, boolean affine) {
        public Config {
            BatchNormCore.validate("BatchNorm2d", numFeatures, eps, momentum);
        }
    }

    private final Config config;
    private BatchNormCore core;

    public BatchNorm2d(Config config) {
        this.config = config;
    }

    /** Features inferred at build, eps 1e-5, momentum 0.1, affine: PyTorch's defaults. */
    public static BatchNorm2d of() {
        return new BatchNorm2d(new Config(0, BatchNormCore.DEFAULT_EPS, BatchNormCore.DEFAULT_MOMENTUM, true));
    }

    /** With the feature count stated, checked at build (inferred when not stated). */
    public BatchNorm2d withNumFeatures(int n) {
        return new BatchNorm2d(new Config(n, config.eps, config.momentum, config.affine));
    }

    public BatchNorm2d withEps(double eps) {
        return new BatchNorm2d(new Config(config.numFeatures, eps, config.momentum, config.affine));
    }

    public BatchNorm2d withMomentum(double momentum) {
        return new BatchNorm2d(new Config(config.numFeatures, config.eps, momentum, config.affine));
    }

    /** Without affine, no weight and bias are learned: {@code y = (x - mean) / sqrt(var + eps)}. */
    public BatchNorm2d withAffine(boolean affine) {
        return new BatchNorm2d(new Config(config.numFeatures, config.eps, config.momentum, affine));
    }

    public Config settings() {
        return config;
    }

    @Override
    public Shape build(Shape in) {
        if (in.rank() != 3) {
            throw new ShapeException(type(), "input " + in + ", expected (channels, height, width); use BatchNorm1d for (features,)");
        }
        int c = in.dim(0);
        if (config.numFeatures != 0 && config.numFeatures != c) {
            throw new ShapeException(type(), "input " + in + " has " + c + " features, expected "
                    + config.numFeatures);
        }
        core = new BatchNormCore(type(), c, config.eps, config.momentum, config.affine);
        return in;
    }

    @Override
    public void initialize(Rng rng) {
        core.reset();
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        return core.forward(x, mode);
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        return core.backward(gradOut);
    }

    @Override
    public List<Parameter> parameters() {
        return core == null ? List.of() : core.parameters();
    }

    @Override
    public List<Parameter> buffers() {
        return core == null ? List.of() : core.buffers();
    }

    @Override
    public String type() {
        return "BatchNorm2d";
    }

    @Override
    public Map<String, Object> config() {
        return BatchNormCore.config(config.numFeatures, config.eps, config.momentum, config.affine);
    }

    /** The inverse of {@link #config()}. */
    public static BatchNorm2d fromConfig(Map<String, Object> map) {
        Configs r = Configs.read("BatchNorm2d", map);
        return new BatchNorm2d(new Config(r.integer("numFeatures", 0), r.number("eps", BatchNormCore.DEFAULT_EPS),
                r.number("momentum", BatchNormCore.DEFAULT_MOMENTUM), r.bool("affine", true)));
    }

    /** Gamma, or null without affine. */
    public Parameter weight() {
        return core.weight();
    }

    /** Beta, or null without affine. */
    public Parameter bias() {
        return core.bias();
    }

    public Parameter runningMean() {
        return core.runningMean();
    }

    public Parameter runningVar() {
        return core.runningVar();
    }

    @Override
    public String toString() {
        return BatchNormCore.describe(type(), core != null ? core.channels() : config.numFeatures, config.eps,
                config.momentum, config.affine);
    }
}
