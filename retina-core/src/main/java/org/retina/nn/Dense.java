package org.retina.nn;

import java.util.List;
import java.util.Map;
import org.retina.kernel.DenseKernels;
import org.retina.tensor.Parameter;
import org.retina.tensor.Rng;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/** Fully connected layer (PyTorch's Linear), {@code y = x * weight^T + bias}; weight {@code [out, in]}, bias {@code [out]}. */
public final class Dense implements Layer {

    /** The settings of a dense layer; {@code inFeatures} 0 means inferred at build. */
    public record Config(int inFeatures, int outFeatures, boolean bias, WeightInit init) {
        /** Checks that {@code outFeatures} is at least 1 and {@code inFeatures} not negative. */
        public Config {
            if (inFeatures < 0) {
                throw new IllegalArgumentException("Dense: inFeatures is " + inFeatures + ", expected >= 0");
            }
            if (outFeatures < 1) {
                throw new IllegalArgumentException("Dense: outFeatures is " + outFeatures + ", expected >= 1");
            }
        }
    }

    private static final SettingsCodec<Config> CODEC = SettingsCodec.of("Dense",
            new Config(0, 1, true, WeightInit.DEFAULT)).required("outFeatures").positional("inFeatures", "outFeatures");

    private final Config config;
    private Parameter weight;
    private Parameter bias;
    private int in;
    private Tensor input;
    private final Reusable out = new Reusable();
    private final Reusable grad = new Reusable();

    /** A dense layer with the given settings, built when its model is. */
    public Dense(Config config) {
        this.config = config;
    }

    /** {@code units} outputs, the input features inferred at build, with a bias. */
    public static Dense of(int units) {
        return new Dense(new Config(0, units, true, WeightInit.DEFAULT));
    }

    /** With the input features stated, checked at build (inferred when not stated). */
    public Dense withInFeatures(int inFeatures) {
        return new Dense(CODEC.with(config, "inFeatures", inFeatures));
    }

    /** With or without the bias. */
    public Dense withBias(boolean b) {
        return new Dense(CODEC.with(config, "bias", b));
    }

    /** With another weight initialization (the default is PyTorch's). */
    public Dense withInit(WeightInit w) {
        return new Dense(CODEC.with(config, "init", w));
    }

    /** The settings this layer was made with; {@code inFeatures} stays 0 when it was inferred. */
    public Config settings() {
        return config;
    }

    @Override
    public Shape build(Shape in) {
        if (in.rank() != 1) {
            throw new ShapeException(type(), "input " + in + " has rank " + in.rank() + ", expected (features,)"
                    + (in.rank() > 1 ? ": add Flatten before Dense" : ""));
        }
        int features = in.dim(0);
        if (config.inFeatures != 0 && config.inFeatures != features) {
            throw new ShapeException(type(), "input " + in + " has " + features + " features, expected "
                    + config.inFeatures);
        }
        this.in = features;
        weight = Parameter.learnable("weight", Shape.of(config.outFeatures, features));
        bias = config.bias ? Parameter.learnable("bias", Shape.of(config.outFeatures)) : null;
        return Shape.of(config.outFeatures);
    }

    @Override
    public void initialize(Rng rng) {
        config.init.apply(weight.value(), bias == null ? null : bias.value(), in, config.outFeatures, rng);
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        int n = x.dim(0);
        Tensor y = out.forward(Shape.of(n, config.outFeatures), mode);
        DenseKernels.forward(x.data(), weight.value().data(), bias == null ? null : bias.value().data(), y.data(), n,
                in, config.outFeatures);
        if (mode == Mode.TRAIN) {
            input = x;
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        int n = input.dim(0);
        Tensor gradIn = grad.gradient(input.shape());
        if (learns()) {
            DenseKernels.backwardWeights(input.data(), gradOut.data(), weight.grad().data(),
                    bias == null ? null : bias.grad().data(), n, in, config.outFeatures);
        }
        DenseKernels.backwardData(gradOut.data(), weight.value().data(), gradIn.data(), n, in, config.outFeatures);
        input = null;
        return gradIn;
    }

    @Override
    public void backwardParameters(Tensor gradOut) {
        if (learns()) {
            DenseKernels.backwardWeights(input.data(), gradOut.data(), weight.grad().data(),
                    bias == null ? null : bias.grad().data(), input.dim(0), in, config.outFeatures);
        }
        input = null;
    }

    /** Whether a parameter learns: a frozen layer computes no parameter gradient, only its input's. */
    private boolean learns() {
        return Weights.learn(weight, bias);
    }

    @Override
    public List<Parameter> parameters() {
        return Weights.of(weight, bias);
    }

    @Override
    public String type() {
        return "Dense";
    }

    @Override
    public Map<String, Object> config() {
        return CODEC.write(config);
    }

    /** The inverse of {@link #config()}. */
    public static Dense fromConfig(Map<String, Object> map) {
        return new Dense(CODEC.read(map));
    }

    /** The weight, {@code [out, in]}; null before build. */
    public Parameter weight() {
        return weight;
    }

    /** The bias, or null when the config has none. */
    public Parameter bias() {
        return bias;
    }

    /** {@code in * out} per sample. */
    @Override
    public long macs() {
        return (long) in * config.outFeatures;
    }

    @Override
    public String toString() {
        return CODEC.describe(config, "inFeatures", in != 0 ? in : null);
    }
}
