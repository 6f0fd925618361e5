package org.retina.nn;

import java.util.List;
import java.util.Map;
import org.retina.kernel.LayerNormKernels;
import org.retina.tensor.Parameter;
import org.retina.tensor.Rng;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * Layer normalization over the channels (the first per-sample axis), at each position on its own:
 * {@code y = (x - mean) / sqrt(var + eps) * weight[c] + bias[c]} with the mean and biased variance over the
 * channels. On {@code (features)} samples this is PyTorch's {@code LayerNorm(features)}; on {@code (C, H, W)}
 * it is ConvNeXt's {@code LayerNorm2d} (PyTorch's {@code LayerNorm(C)} applied channels-last), the same statistics
 * in training and evaluation.
 */
public final class LayerNorm implements Layer {

    /**
     * The settings.
     *
     * @param eps    added to the variance, above 0 (PyTorch's default 1e-5; ConvNeXt uses 1e-6)
     * @param affine whether a learned per-channel weight (starting at 1) and bias (at 0) follow
     */
    public record Config(double eps, boolean affine) {
        /** Checks that eps is finite and above 0. */
        public Config {
            PoolWindow.positive("LayerNorm", "eps", eps);
        }
    }

    private static final SettingsCodec<Config> CODEC = SettingsCodec.of("LayerNorm", new Config(1e-5, true));

    private final Config config;
    private Parameter weight;
    private Parameter bias;
    private Shape in;
    private Tensor input;
    private float[] mean;
    private float[] rstd;

    /** A layer norm with the given settings. */
    public LayerNorm(Config config) {
        this.config = config;
    }

    /** A layer norm with eps 1e-5 and a learned weight and bias, as PyTorch's default. */
    public static LayerNorm of() {
        return new LayerNorm(new Config(1e-5, true));
    }

    /** The same layer with another eps. */
    public LayerNorm withEps(double eps) {
        return new LayerNorm(CODEC.with(config, "eps", eps));
    }

    /** The same layer with or without the learned weight and bias. */
    public LayerNorm withAffine(boolean affine) {
        return new LayerNorm(CODEC.with(config, "affine", affine));
    }

    /** The settings this layer was made with. */
    public Config settings() {
        return config;
    }

    @Override
    public Shape build(Shape in) {
        if (in.rank() < 1) {
            throw new ShapeException(type(), "input " + in + " has no channel axis, expected rank >= 1");
        }
        this.in = in;
        int c = in.dim(0);
        weight = config.affine ? Parameter.learnable("weight", Shape.of(c)) : null;
        bias = config.affine ? Parameter.learnable("bias", Shape.of(c)) : null;
        initialize(null);
        return in;
    }

    @Override
    public void initialize(Rng rng) {
        if (weight != null) {
            weight.value().fill(1f);
            bias.value().fill(0f);
        }
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        int n = x.dim(0);
        int c = in.dim(0);
        int inner = in.size() / c;
        Tensor y = Tensor.zeros(x.shape());
        float[] m = new float[n * inner];
        float[] r = new float[n * inner];
        LayerNormKernels.layerNorm(x.data(), y.data(), weight == null ? null : weight.value().data(),
                bias == null ? null : bias.value().data(), m, r, n, c, inner, config.eps);
        if (mode == Mode.TRAIN) {
            input = x;
            mean = m;
            rstd = r;
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        int n = gradOut.dim(0);
        int c = in.dim(0);
        Tensor gradIn = Tensor.zeros(gradOut.shape());
        boolean learn = weight != null && (weight.trainable() || bias.trainable());
        LayerNormKernels.layerNormBackward(input.data(), gradOut.data(), gradIn.data(),
                weight == null ? null : weight.value().data(), learn ? weight.grad().data() : null,
                learn ? bias.grad().data() : null, mean, rstd, n, c, in.size() / c);
        input = null;
        mean = null;
        rstd = null;
        return gradIn;
    }

    /** The learned per-channel weight; null without affine or before build. */
    public Parameter weight() {
        return weight;
    }

    /** The learned per-channel bias; null without affine or before build. */
    public Parameter bias() {
        return bias;
    }

    @Override
    public List<Parameter> parameters() {
        return Weights.of(weight, bias);
    }

    @Override
    public String type() {
        return "LayerNorm";
    }

    @Override
    public Map<String, Object> config() {
        return CODEC.write(config);
    }

    /** The inverse of {@link #config()}. */
    public static LayerNorm fromConfig(Map<String, Object> map) {
        return new LayerNorm(CODEC.read(map));
    }

    @Override
    public String toString() {
        return CODEC.describe(config);
    }
}
