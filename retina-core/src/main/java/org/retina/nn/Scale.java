package org.retina.nn;

import java.util.Map;
import org.retina.kernel.PointwiseKernels;
import org.retina.tensor.Parameter;
import org.retina.tensor.Tensor;

/**
 * Multiplication by a learned factor, {@code y = x * weight[c]}: one per channel (the first per-sample axis) or
 * one for all; weight {@code [channels]} or {@code [1]}, initialized to 1. ONNX's Mul by a constant.
 */
public final class Scale extends PerChannel<Scale.Config> {

    /** One factor per channel, or one shared. */
    public record Config(boolean perChannel) {
    }

    private static final SettingsCodec<Config> CODEC = SettingsCodec.of("Scale", new Config(false));

    private Tensor input;

    /** A learned scale with the given settings, built when its model is. */
    public Scale(Config config) {
        super("weight", config.perChannel, 1, CODEC, config);
    }

    /** One factor for all values. */
    public static Scale of() {
        return new Scale(new Config(false));
    }

    /** One factor per channel. */
    public static Scale perChannel() {
        return new Scale(new Config(true));
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Tensor y = Tensor.zeros(x.shape());
        int c = channels(x);
        PointwiseKernels.affine(x.data(), weight().value().data(), null, y.data(), x.dim(0), c, x.sampleSize() / c);
        if (mode == Mode.TRAIN) {
            input = x;
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        Tensor gradIn = Tensor.zeros(gradOut.shape());
        int c = channels(input);
        PointwiseKernels.affineBackward(input.data(), weight().value().data(), gradOut.data(), gradIn.data(),
                weight().grad().data(), null, input.dim(0), c, input.sampleSize() / c);
        input = null;
        return gradIn;
    }

    /** The learned factors, {@code [channels]} or {@code [1]}; null before build. */
    public Parameter weight() {
        return parameter();
    }

    @Override
    public String type() {
        return "Scale";
    }

    /** The inverse of {@link #config()}. */
    public static Scale fromConfig(Map<String, Object> map) {
        return new Scale(CODEC.read(map));
    }
}
