package org.retina.nn;

import java.util.Map;
import org.retina.kernel.ConvGeometry;
import org.retina.kernel.PoolKernels;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * Gaussian-weighted average pooling per channel, {@code out = (in + 2*padding - k) / stride + 1}: fixed weights
 * {@code exp(-((u-cu)^2 + (v-cv)^2) / (2 sigma^2))} around the window's centre, summing to 1. Zero padding
 * counts; a ceil-mode window hanging beyond the padding is renormalised over the taps it keeps.
 */
public final class GaussianPool2d implements Layer {

    /** The settings of a Gaussian pooling; the stride defaults to the kernel. */
    public record Config(int kernelH, int kernelW, int strideH, int strideW, Padding padding, double sigma, Fit fit) {
        /** Checks the sizes and that {@code sigma} is finite and above 0. */
        public Config {
            PoolWindow.atLeast("GaussianPool2d", "kernel height", kernelH, 1);
            PoolWindow.atLeast("GaussianPool2d", "kernel width", kernelW, 1);
            PoolWindow.atLeast("GaussianPool2d", "stride height", strideH, 1);
            PoolWindow.atLeast("GaussianPool2d", "stride width", strideW, 1);
            PoolWindow.positive("GaussianPool2d", "sigma", sigma);
        }
    }

    private final Config config;
    /** {@code [kH*kW]}, derived from the config: a constant, not a parameter. */
    private final float[] weights;
    private ConvGeometry geometry;
    private Shape inputShape;

    /** A Gaussian pooling with the given settings; its weights are computed here, once. */
    public GaussianPool2d(Config config) {
        this.config = config;
        this.weights = new float[config.kernelH * config.kernelW];
        PoolKernels.gaussianWeights(config.kernelH, config.kernelW, config.sigma, weights);
    }

    /** A {@code kernel x kernel} window moved by {@code kernel}, sigma 1, no padding. */
    public static GaussianPool2d of(int kernel) {
        return of(kernel, kernel);
    }

    /** A {@code kernelH x kernelW} window moved by its own size, sigma 1, no padding. */
    public static GaussianPool2d of(int kernelH, int kernelW) {
        return new GaussianPool2d(new Config(kernelH, kernelW, kernelH, kernelW, Padding.VALID, 1.0, Fit.STRICT));
    }

    /** With stride {@code s} along both height and width. */
    public GaussianPool2d withStride(int s) {
        return withStride(s, s);
    }

    /** With stride {@code h} along the height and {@code w} along the width. */
    public GaussianPool2d withStride(int h, int w) {
        Config c = config;
        return new GaussianPool2d(new Config(c.kernelH, c.kernelW, h, w, c.padding, c.sigma, c.fit));
    }

    /** With {@code p} zero pixels on every side. */
    public GaussianPool2d withPadding(int p) {
        return withPadding(Padding.of(p));
    }

    /** With {@code h} zero rows at top and bottom and {@code w} zero columns at left and right. */
    public GaussianPool2d withPadding(int h, int w) {
        return withPadding(Padding.of(h, w));
    }

    /** With the given padding, explicit or {@link Padding#SAME}. */
    public GaussianPool2d withPadding(Padding p) {
        Config c = config;
        return new GaussianPool2d(new Config(c.kernelH, c.kernelW, c.strideH, c.strideW, p, c.sigma, c.fit));
    }

    /** The spread of the weights, in pixels. */
    public GaussianPool2d withSigma(double sigma) {
        Config c = config;
        return new GaussianPool2d(new Config(c.kernelH, c.kernelW, c.strideH, c.strideW, c.padding, sigma, c.fit));
    }

    /** With another rule for windows that do not tile the input. */
    public GaussianPool2d withFit(Fit f) {
        Config c = config;
        return new GaussianPool2d(new Config(c.kernelH, c.kernelW, c.strideH, c.strideW, c.padding, c.sigma, f));
    }

    /** The settings this layer was made with. */
    public Config settings() {
        return config;
    }

    @Override
    public Shape build(Shape in) {
        Config c = config;
        geometry = PoolWindow.resolve(type(), in, new Window.Spec(c.kernelH, c.kernelW, c.strideH, c.strideW, 1, 1,
                c.padding, c.fit));
        return Shape.of(geometry.outC(), geometry.outH(), geometry.outW());
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
    public String type() {
        return "GaussianPool2d";
    }

    @Override
    public Map<String, Object> config() {
        Config c = config;
        Map<String, Object> m = Configs.map();
        m.put("kernelSize", Configs.pairValue(c.kernelH, c.kernelW));
        m.put("stride", Configs.pairValue(c.strideH, c.strideW));
        m.put("padding", c.padding.toConfig());
        m.put("sigma", c.sigma);
        m.put("fit", c.fit.key());
        return m;
    }

    /** The inverse of {@link #config()}. */
    public static GaussianPool2d fromConfig(Map<String, Object> map) {
        Configs r = Configs.read("GaussianPool2d", map);
        int[] k = r.pair("kernelSize");
        int[] s = r.has("stride") ? r.pair("stride") : k;
        return new GaussianPool2d(new Config(k[0], k[1], s[0], s[1], r.padding("padding"), r.number("sigma", 1.0),
                r.fit("fit", Fit.STRICT)));
    }

    /** The resolved geometry, after build. */
    public ConvGeometry geometry() {
        return geometry;
    }

    /** A copy of the window weights, {@code [kH*kW]} row-major, summing to 1. */
    public float[] weights() {
        return weights.clone();
    }

    @Override
    public long macs() {
        return geometry == null ? 0 : geometry.macs();
    }

    @Override
    public int droppedInputPixels() {
        return geometry == null ? 0 : Window.droppedPixels(geometry);
    }

    @Override
    public String toString() {
        Config c = config;
        StringBuilder sb = new StringBuilder("GaussianPool2d(kernel=").append(Conv2d.pair(c.kernelH, c.kernelW));
        if (c.strideH != c.kernelH || c.strideW != c.kernelW) {
            sb.append(", stride=").append(Conv2d.pair(c.strideH, c.strideW));
        }
        if (!c.padding.equals(Padding.VALID)) {
            sb.append(", padding=").append(c.padding);
        }
        if (c.sigma != 1.0) {
            sb.append(", sigma=").append(PoolWindow.number(c.sigma));
        }
        if (c.fit != Fit.STRICT) {
            sb.append(", fit=").append(c.fit.key());
        }
        return sb.append(')').toString();
    }
}
