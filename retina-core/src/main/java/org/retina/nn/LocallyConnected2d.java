package org.retina.nn;

import java.util.List;
import java.util.Map;
import org.retina.kernel.ConvGeometry;
import org.retina.kernel.LocalKernels;
import org.retina.tensor.Init;
import org.retina.tensor.Parameter;
import org.retina.tensor.Rng;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * A convolution with unshared weights, one filter bank per output position, {@code out = (in + 2*padding - k) /
 * stride + 1}; weight {@code [outH*outW, out, in*kh*kw]} (column {@code c*kh*kw + u*kw + v}), bias
 * {@code [out, outH, outW]}.
 */
public final class LocallyConnected2d implements Windowed<LocallyConnected2d> {

    /** The settings; {@code inChannels} 0 means inferred at build; the window has no dilation. */
    public record Config(int inChannels, int outChannels, Window.Spec window, boolean bias) implements Windowed.Settings {
        /** Checks every size; a dilated window and {@link Fit#CEIL} are refused. */
        public Config {
            check("outChannels", outChannels, 1);
            check("inChannels", inChannels, 0);
            window.check("LocallyConnected2d");
            window.refuse("LocallyConnected2d", true);
            if (window.fit() == Fit.CEIL) {
                throw new IllegalArgumentException("LocallyConnected2d: fit ceil is for pooling; use strict,"
                        + " pad-to-fit or floor");
            }
        }

        private static void check(String what, int v, int min) {
            if (v < min) {
                throw new IllegalArgumentException("LocallyConnected2d: " + what + " is " + v + ", expected >= "
                        + min);
            }
        }

        /** With another window. */
        public Config withWindow(Window.Spec w) {
            return CODEC.with(this, "window", w);
        }
    }

    private static final SettingsCodec<Config> CODEC = SettingsCodec.of("LocallyConnected2d",
            new Config(0, 1, Window.Spec.of(1, 1, 1, 1), true)).required("outChannels")
            .positional("inChannels", "outChannels");

    private final Config config;
    private Parameter weight;
    private Parameter bias;
    private ConvGeometry geometry;
    private Tensor input;

    /** A locally connected layer with the given settings, built when its model is. */
    public LocallyConnected2d(Config config) {
        this.config = config;
    }

    /** {@code outChannels} filters of {@code kernel x kernel} at every position, stride 1, no padding. */
    public static LocallyConnected2d of(int outChannels, int kernel) {
        return of(outChannels, kernel, kernel);
    }

    /** {@code outChannels} filters of {@code kernelH x kernelW} at every position, stride 1, no padding. */
    public static LocallyConnected2d of(int outChannels, int kernelH, int kernelW) {
        return new LocallyConnected2d(new Config(0, outChannels, Window.Spec.of(kernelH, kernelW, 1, 1), true));
    }

    /** With the input channels stated, checked at build (inferred when not stated). */
    public LocallyConnected2d withInChannels(int in) {
        return new LocallyConnected2d(CODEC.with(config, "inChannels", in));
    }

    /** With or without the bias, one value per output channel and position. */
    public LocallyConnected2d withBias(boolean b) {
        return new LocallyConnected2d(CODEC.with(config, "bias", b));
    }

    /** The settings this layer was made with; {@code inChannels} stays 0 when it was inferred. */
    @Override
    public Config settings() {
        return config;
    }

    @Override
    public LocallyConnected2d withWindow(Window.Spec w) {
        return new LocallyConnected2d(config.withWindow(w));
    }

    @Override
    public Shape build(Shape in) {
        Config c = config;
        ConvGeometry g = Window.resolve(type(), in, c.window);
        int inC = in.dim(0);
        if (c.inChannels != 0 && c.inChannels != inC) {
            throw new ShapeException(type(), "input " + in + " has " + inC + " channels, expected " + c.inChannels);
        }
        geometry = g.withChannels(inC, c.outChannels, 1);
        weight = Parameter.learnable("weight", Shape.of(g.outH() * g.outW(), c.outChannels, geometry.colRows()));
        bias = c.bias ? Parameter.learnable("bias", Shape.of(c.outChannels, g.outH(), g.outW())) : null;
        return Shape.of(c.outChannels, g.outH(), g.outW());
    }

    /** Uniform in {@code +-1/sqrt(in*kh*kw)}, PyTorch's default for a convolution with the same window. */
    @Override
    public void initialize(Rng rng) {
        Init.pytorchDefault(weight.value(), bias == null ? null : bias.value(), geometry.colRows(), rng);
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        int n = x.dim(0);
        Tensor y = Tensor.zeros(Shape.of(n, geometry.outC(), geometry.outH(), geometry.outW()));
        LocalKernels.forward(x.data(), weight.value().data(), bias == null ? null : bias.value().data(), y.data(), n,
                geometry);
        if (mode == Mode.TRAIN) {
            input = x;
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        int n = input.dim(0);
        Tensor gradIn = Tensor.zeros(input.shape());
        LocalKernels.backwardWeights(input.data(), gradOut.data(), weight.grad().data(),
                bias == null ? null : bias.grad().data(), n, geometry);
        LocalKernels.backwardData(gradOut.data(), weight.value().data(), gradIn.data(), n, geometry);
        input = null;
        return gradIn;
    }

    @Override
    public List<Parameter> parameters() {
        return Weights.of(weight, bias);
    }

    @Override
    public String type() {
        return "LocallyConnected2d";
    }

    @Override
    public Map<String, Object> config() {
        return CODEC.write(config);
    }

    /** The inverse of {@link #config()}. */
    public static LocallyConnected2d fromConfig(Map<String, Object> map) {
        return new LocallyConnected2d(CODEC.read(map));
    }

    @Override
    public ConvGeometry geometry() {
        return geometry;
    }

    /** The filter banks, {@code [outH*outW, out, in*kh*kw]}; null before build. */
    public Parameter weight() {
        return weight;
    }

    /** The bias, or null when the config has none. */
    public Parameter bias() {
        return bias;
    }

    @Override
    public String toString() {
        return CODEC.describe(config, "inChannels", geometry != null ? geometry.inC() : null);
    }
}
