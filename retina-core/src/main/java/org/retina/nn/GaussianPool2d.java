package org.retina.nn;

import java.util.Map;
import org.retina.kernel.PoolKernels;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * Gaussian-weighted average pooling per channel, {@code out = (in + 2*padding - k) / stride + 1}: fixed weights
 * {@code exp(-((u-cu)^2 + (v-cv)^2) / (2 sigma^2))} around the window's centre, summing to 1. Zero padding
 * counts; a ceil-mode window hanging beyond the padding is renormalised over the taps it keeps.
 */
public final class GaussianPool2d extends Pooling<GaussianPool2d, GaussianPool2d.Config> {

    /** The settings: the window (its stride defaults to the kernel; no dilation) and the weights' spread. */
    public record Config(Window.Spec window, double sigma) implements Windowed.Settings {
        /** Checks the sizes, that {@code sigma} is finite and above 0, and that the window does not dilate. */
        public Config {
            window.check("GaussianPool2d");
            window.refuse("GaussianPool2d", true);
            PoolWindow.positive("GaussianPool2d", "sigma", sigma);
        }
    }

    private static final SettingsCodec<Config> CODEC = SettingsCodec.of("GaussianPool2d",
            new Config(Window.Spec.of(1, 1, 1, 1), 1.0)).strideIsKernel();

    /** {@code [kH*kW]}, derived from the config: a constant, not a parameter. */
    private final float[] weights;
    private Shape inputShape;

    /** A Gaussian pooling with the given settings; its weights are computed here, once. */
    public GaussianPool2d(Config config) {
        super(CODEC, config);
        this.weights = new float[config.window.kH() * config.window.kW()];
        PoolKernels.gaussianWeights(config.window.kH(), config.window.kW(), config.sigma, weights);
    }

    /** A {@code kernel x kernel} window moved by {@code kernel}, sigma 1, no padding. */
    public static GaussianPool2d of(int kernel) {
        return of(kernel, kernel);
    }

    /** A {@code kernelH x kernelW} window moved by its own size, sigma 1, no padding. */
    public static GaussianPool2d of(int kernelH, int kernelW) {
        return new GaussianPool2d(new Config(Window.Spec.of(kernelH, kernelW, kernelH, kernelW), 1.0));
    }

    /** The spread of the weights, in pixels. */
    public GaussianPool2d withSigma(double sigma) {
        return with("sigma", sigma);
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        int n = x.dim(0);
        Tensor y = Tensor.zeros(Shape.of(n, geometry.outC(), geometry.outH(), geometry.outW()));
        PoolKernels.avgForward(x.data(), weights, y.data(), n, geometry, true);
        if (mode == Mode.TRAIN) {
            inputShape = x.shape();
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        Tensor gradIn = Tensor.zeros(inputShape);
        PoolKernels.avgBackward(gradOut.data(), weights, gradIn.data(), inputShape.dim(0), geometry, true);
        inputShape = null;
        return gradIn;
    }

    @Override
    GaussianPool2d make(Config settings) {
        return new GaussianPool2d(settings);
    }

    @Override
    public String type() {
        return "GaussianPool2d";
    }

    /** The inverse of {@link #config()}. */
    public static GaussianPool2d fromConfig(Map<String, Object> map) {
        return new GaussianPool2d(CODEC.read(map));
    }

    /** A copy of the window weights, {@code [kH*kW]} row-major, summing to 1. */
    public float[] weights() {
        return weights.clone();
    }
}
