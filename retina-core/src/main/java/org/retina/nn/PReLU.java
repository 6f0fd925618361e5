package org.retina.nn;

import java.util.Map;
import org.retina.kernel.PointwiseKernels;
import org.retina.tensor.Parameter;
import org.retina.tensor.Tensor;

/**
 * Parametric ReLU, {@code y = x > 0 ? x : weight[c] * x}, with a learned slope per channel (the first per-sample
 * axis) or one for all; weight {@code [channels]} or {@code [1]}, initialized to {@code init} (PyTorch: 0.25).
 */
public final class PReLU extends PerChannel<PReLU.Config> {

    /** One slope per channel or one shared, and the initial slope. */
    public record Config(boolean perChannel, double init) {
        /** Checks that {@code init} is finite. */
        public Config {
            if (!Double.isFinite(init)) {
                throw new IllegalArgumentException("PReLU: init is " + init + ", expected a finite number");
            }
        }
    }

    private static final SettingsCodec<Config> CODEC = SettingsCodec.of("PReLU", new Config(false, 0.25));

    private Tensor input;

    /** A parametric ReLU with the given settings, built when its model is. */
    public PReLU(Config config) {
        super("weight", config.perChannel, config.init, CODEC, config);
    }

    /** One slope shared by all channels, starting at 0.25 (PyTorch's {@code nn.PReLU()}). */
    public static PReLU of() {
        return new PReLU(new Config(false, 0.25));
    }

    /** One slope per channel, starting at 0.25 (PyTorch's {@code nn.PReLU(num_parameters=C)}). */
    public static PReLU perChannel() {
        return new PReLU(new Config(true, 0.25));
    }

    /** With another initial slope for negative inputs. */
    public PReLU withInit(double init) {
        return new PReLU(CODEC.with(settings(), "init", init));
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Tensor y = Tensor.zeros(x.shape());
        int c = channels(x);
        PointwiseKernels.prelu(x.data(), weight().value().data(), y.data(), x.dim(0), c, x.sampleSize() / c);
        if (mode == Mode.TRAIN) {
            input = x;
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        Tensor gradIn = Tensor.zeros(gradOut.shape());
        int c = channels(input);
        PointwiseKernels.preluBackward(input.data(), weight().value().data(), gradOut.data(), gradIn.data(),
                weight().grad().data(), input.dim(0), c, input.sampleSize() / c);
        input = null;
        return gradIn;
    }

    /** The learned slopes, {@code [channels]} or {@code [1]}; null before build. */
    public Parameter weight() {
        return parameter();
    }

    @Override
    public String type() {
        return "PReLU";
    }

    /** The inverse of {@link #config()}. */
    public static PReLU fromConfig(Map<String, Object> map) {
        return new PReLU(CODEC.read(map));
    }
}
