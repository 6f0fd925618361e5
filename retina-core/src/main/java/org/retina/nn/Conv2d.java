package org.retina.nn;

import java.util.List;
import java.util.Map;
import org.retina.kernel.ConvGeometry;
import org.retina.kernel.ConvKernels;
import org.retina.tensor.Parameter;
import org.retina.tensor.Rng;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/** 2-D convolution, {@code out = (in + 2*padding - dilation*(k-1) - 1) / stride + 1}; weight {@code [out, in/groups, kh, kw]}. */
public final class Conv2d implements Windowed<Conv2d> {

    /** The settings of a convolution; {@code inChannels} 0 means inferred at build. */
    public record Config(int inChannels, int outChannels, Window.Spec window, int groups, boolean bias,
                         WeightInit init) implements Windowed.Settings {
        /** Checks every size and that {@code groups} divides {@code outChannels}; {@link Fit#CEIL} is refused. */
        public Config {
            check("outChannels", outChannels, 1);
            check("inChannels", inChannels, 0);
            window.check("Conv2d");
            check("groups", groups, 1);
            if (outChannels % groups != 0) {
                throw new IllegalArgumentException("Conv2d: outChannels " + outChannels + " is not divisible by groups "
                        + groups);
            }
            if (window.fit() == Fit.CEIL) {
                throw new IllegalArgumentException("Conv2d: fit ceil is for pooling; use strict, pad-to-fit or floor");
            }
        }

        private static void check(String what, int v, int min) {
            if (v < min) {
                throw new IllegalArgumentException("Conv2d: " + what + " is " + v + ", expected >= " + min);
            }
        }

        /** With another window. */
        public Config withWindow(Window.Spec w) {
            return CODEC.with(this, "window", w);
        }
    }

    private static final SettingsCodec<Config> CODEC = SettingsCodec.of("Conv2d",
            new Config(0, 1, Window.Spec.of(1, 1, 1, 1), 1, true, WeightInit.DEFAULT))
            .required("outChannels").positional("inChannels", "outChannels");

    private final Config config;
    /** Put before the parameters' names: empty, or {@code conv.} inside a {@link ConvBlock}. */
    private final String prefix;
    private Parameter weight;
    private Parameter bias;
    private ConvGeometry geometry;
    private Tensor input;
    private final Reusable out = new Reusable();
    private final Reusable grad = new Reusable();

    /** A convolution with the given settings, built when its model is. */
    public Conv2d(Config config) {
        this(config, "");
    }

    Conv2d(Config config, String prefix) {
        this.config = config;
        this.prefix = prefix;
    }

    /** {@code outChannels} filters of {@code kernel x kernel}, stride 1, no padding. */
    public static Conv2d of(int outChannels, int kernel) {
        return of(outChannels, kernel, kernel);
    }

    /** {@code outChannels} filters of {@code kernelH x kernelW}, stride 1, no padding. */
    public static Conv2d of(int outChannels, int kernelH, int kernelW) {
        return new Conv2d(new Config(0, outChannels, Window.Spec.of(kernelH, kernelW, 1, 1), 1, true,
                WeightInit.DEFAULT));
    }

    /** With the input channels stated, checked at build (inferred when not stated). */
    public Conv2d withInChannels(int in) {
        return new Conv2d(CODEC.with(config, "inChannels", in));
    }

    /** With {@code g} groups, each filter seeing {@code in/g} channels; {@code g = in} is depthwise. */
    public Conv2d withGroups(int g) {
        return new Conv2d(CODEC.with(config, "groups", g));
    }

    /** With or without the per-channel bias. */
    public Conv2d withBias(boolean b) {
        return new Conv2d(CODEC.with(config, "bias", b));
    }

    /** With another weight initialization (the default is PyTorch's). */
    public Conv2d withInit(WeightInit w) {
        return new Conv2d(CODEC.with(config, "init", w));
    }

    /** The settings this layer was made with; {@code inChannels} stays 0 when it was inferred. */
    @Override
    public Config settings() {
        return config;
    }

    @Override
    public Conv2d withWindow(Window.Spec w) {
        return new Conv2d(config.withWindow(w));
    }

    @Override
    public Shape build(Shape in) {
        Config c = config;
        ConvGeometry g = Window.resolve(type(), in, c.window);
        int inC = in.dim(0);
        if (c.inChannels != 0 && c.inChannels != inC) {
            throw new ShapeException(type(), "input " + in + " has " + inC + " channels, expected " + c.inChannels);
        }
        if (inC % c.groups != 0) {
            throw new ShapeException(type(), "input " + in + ": " + inC + " channels are not divisible by groups "
                    + c.groups);
        }
        geometry = g.withChannels(inC, c.outChannels, c.groups);
        weight = Parameter.learnable(prefix + "weight", Shape.of(c.outChannels, inC / c.groups, c.window.kH(),
                c.window.kW()));
        bias = c.bias ? Parameter.learnable(prefix + "bias", Shape.of(c.outChannels)) : null;
        return Shape.of(c.outChannels, g.outH(), g.outW());
    }

    @Override
    public void initialize(Rng rng) {
        config.init.apply(weight.value(), bias == null ? null : bias.value(), geometry.colRows(),
                config.outChannels * config.window.kH() * config.window.kW(), rng);
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        int n = x.dim(0);
        Tensor y = out.output(Shape.of(n, geometry.outC(), geometry.outH(), geometry.outW()), mode);
        ConvKernels.forward(x.data(), weight.value().data(), bias == null ? null : bias.value().data(), y.data(), n,
                geometry);
        if (mode == Mode.TRAIN) {
            input = x;
        }
        return y;
    }

    /** None: it reads its input and weights. */
    @Override
    public boolean backwardReadsOutput() {
        return false;
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        int n = input.dim(0);
        Tensor gradIn = grad.gradient(input.shape());
        if (learns()) {
            ConvKernels.backwardWeights(input.data(), gradOut.data(), weight.grad().data(),
                    bias == null ? null : bias.grad().data(), n, geometry);
        }
        ConvKernels.backwardData(gradOut.data(), weight.value().data(), gradIn.data(), n, geometry);
        input = null;
        return gradIn;
    }

    @Override
    public void backwardParameters(Tensor gradOut) {
        if (learns()) {
            ConvKernels.backwardWeights(input.data(), gradOut.data(), weight.grad().data(),
                    bias == null ? null : bias.grad().data(), input.dim(0), geometry);
        }
        input = null;
    }

    /** Whether a parameter learns: a frozen layer computes no parameter gradient, only its input's. */
    boolean learns() {
        return Weights.learn(weight, bias);
    }

    @Override
    public List<Parameter> parameters() {
        return Weights.of(weight, bias);
    }

    @Override
    public String type() {
        return "Conv2d";
    }

    @Override
    public Map<String, Object> config() {
        return CODEC.write(config);
    }

    /** The inverse of {@link #config()}. */
    public static Conv2d fromConfig(Map<String, Object> map) {
        return new Conv2d(CODEC.read(map));
    }

    @Override
    public BlockPart blockPart() {
        return BlockPart.of(BlockPart.Stage.CONV);
    }

    @Override
    public ConvGeometry geometry() {
        return geometry;
    }

    /** The filters, {@code [out, in/groups, kh, kw]}; null before build. */
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

    static String pair(int h, int w) {
        return h == w ? Integer.toString(h) : h + "x" + w;
    }
}
