package org.retina.nn;

import java.util.Map;
import org.retina.kernel.PointwiseKernels;
import org.retina.tensor.Parameter;
import org.retina.tensor.Tensor;

/**
 * Addition of a learned offset, {@code y = x + bias[c]}: one per channel (the first per-sample axis) or
 * one for all; bias {@code [channels]} or {@code [1]}, initialized to 0. ONNX's Add of a constant.
 */
public final class Shift extends PerChannel<Shift.Config> {

    /** One offset per channel, or one shared. */
    public record Config(boolean perChannel) {
    }

    private static final SettingsCodec<Config> CODEC = SettingsCodec.of("Shift", new Config(false));


    /** A learned offset with the given settings, built when its model is. */
    public Shift(Config config) {
        super("bias", config.perChannel, 0, CODEC, config);
    }

    /** One offset for all values. */
    public static Shift of() {
        return new Shift(new Config(false));
    }

    /** One offset per channel. */
    public static Shift perChannel() {
        return new Shift(new Config(true));
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Tensor y = Tensor.zeros(x.shape());
        int c = channels(x);
        PointwiseKernels.affine(x.data(), null, bias().value().data(), y.data(), x.dim(0), c, x.sampleSize() / c);
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        Tensor gradIn = Tensor.zeros(gradOut.shape());
        int c = channels(gradOut);
        PointwiseKernels.affineBackward(null, null, gradOut.data(), gradIn.data(), null, bias().grad().data(),
                gradOut.dim(0), c, gradOut.sampleSize() / c);
        return gradIn;
    }

    /** The learned offsets, {@code [channels]} or {@code [1]}; null before build. */
    public Parameter bias() {
        return parameter();
    }

    @Override
    public String type() {
        return "Shift";
    }

    /** The inverse of {@link #config()}. */
    public static Shift fromConfig(Map<String, Object> map) {
        return new Shift(CODEC.read(map));
    }
}
