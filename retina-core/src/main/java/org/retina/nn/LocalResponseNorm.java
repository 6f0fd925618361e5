package org.retina.nn;

import java.util.Map;
import org.retina.kernel.LrnKernels;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * Local response normalization across channels (AlexNet, GoogLeNet), PyTorch's and ONNX's LRN:
 * {@code y[c] = x[c] / (k + alpha/size * sum of x[j]^2 over j in [c - size/2, c + (size-1)/2])^beta}.
 */
public final class LocalResponseNorm implements Layer {

    /** The window of {@code size} channels and the constants; PyTorch's defaults alpha 1e-4, beta 0.75, k 1. */
    public record Config(int size, double alpha, double beta, double k) {
        /** Checks that {@code size} is at least 1, alpha and beta are finite, and {@code k} is finite and above 0. */
        public Config {
            PoolWindow.atLeast("LocalResponseNorm", "size", size, 1);
            if (!Double.isFinite(alpha) || !Double.isFinite(beta)) {
                throw new IllegalArgumentException("LocalResponseNorm: alpha " + alpha + " and beta " + beta
                        + ", expected finite numbers");
            }
            PoolWindow.positive("LocalResponseNorm", "k", k);
        }
    }

    private static final SettingsCodec<Config> CODEC = SettingsCodec.of("LocalResponseNorm",
            new Config(1, 1e-4, 0.75, 1.0)).required("size").positional("size");

    private final Config config;
    private Tensor input;
    private Tensor denom;

    /** A local response normalization with the given settings. */
    public LocalResponseNorm(Config config) {
        this.config = config;
    }

    /** A window of {@code size} channels with PyTorch's defaults: alpha 1e-4, beta 0.75, k 1. */
    public static LocalResponseNorm of(int size) {
        return new LocalResponseNorm(new Config(size, 1e-4, 0.75, 1.0));
    }

    /** With the scale {@code alpha} of the sum of squares (1e-4 by default). */
    public LocalResponseNorm withAlpha(double alpha) {
        return new LocalResponseNorm(CODEC.with(config, "alpha", alpha));
    }

    /** With the exponent {@code beta} of the denominator (0.75 by default). */
    public LocalResponseNorm withBeta(double beta) {
        return new LocalResponseNorm(CODEC.with(config, "beta", beta));
    }

    /** With the additive constant {@code k} of the denominator (1 by default). */
    public LocalResponseNorm withK(double k) {
        return new LocalResponseNorm(CODEC.with(config, "k", k));
    }

    /** The settings this layer was made with. */
    public Config settings() {
        return config;
    }

    @Override
    public Shape build(Shape in) {
        if (in.rank() < 2) {
            throw new ShapeException(type(), "input " + in + ", expected (channels, ...) with at least one more axis,"
                    + " as (channels, height, width)");
        }
        return in;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Tensor y = Tensor.zeros(x.shape());
        Tensor d = Tensor.zeros(x.shape());
        int c = x.dim(1);
        LrnKernels.forward(x.data(), y.data(), d.data(), x.dim(0), c, x.sampleSize() / c, config.size, config.alpha,
                config.beta, config.k);
        if (mode == Mode.TRAIN) {
            input = x;
            denom = d;
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        Tensor gradIn = Tensor.zeros(gradOut.shape());
        int c = input.dim(1);
        LrnKernels.backward(input.data(), denom.data(), gradOut.data(), gradIn.data(), input.dim(0), c,
                input.sampleSize() / c, config.size, config.alpha, config.beta);
        input = null;
        denom = null;
        return gradIn;
    }

    @Override
    public String type() {
        return "LocalResponseNorm";
    }

    @Override
    public Map<String, Object> config() {
        return CODEC.write(config);
    }

    /** The inverse of {@link #config()}. */
    public static LocalResponseNorm fromConfig(Map<String, Object> map) {
        return new LocalResponseNorm(CODEC.read(map));
    }

    @Override
    public String toString() {
        return CODEC.describe(config);
    }
}
