package org.retina.nn;

import java.util.Map;
import org.retina.kernel.LayoutKernels;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * ShuffleNet's channel shuffle, {@code (C, H, W) -> (C, H, W)}: the channels seen as {@code (groups, C/groups)}
 * are transposed, so channel {@code i * groups + g} of the output is channel {@code g * C/groups + i} of the input.
 */
public final class ChannelShuffle implements Layer {

    /** The number of groups, which must divide the channels. */
    public record Config(int groups) {
        /** Checks that {@code groups} is at least 1; that it divides the channels is checked at build. */
        public Config {
            PoolWindow.atLeast("ChannelShuffle", "groups", groups, 1);
        }
    }

    private static final SettingsCodec<Config> CODEC = SettingsCodec.of("ChannelShuffle", new Config(1)).required("groups");

    private final Config config;
    private Shape in;

    /** A channel shuffle with the given settings. */
    public ChannelShuffle(Config config) {
        this.config = config;
    }

    /** A shuffle of the channels seen as {@code (groups, C/groups)}. */
    public static ChannelShuffle of(int groups) {
        return new ChannelShuffle(new Config(groups));
    }

    /** The settings this layer was made with. */
    public Config settings() {
        return config;
    }

    @Override
    public Shape build(Shape in) {
        if (in.rank() < 1 || in.dim(0) % config.groups != 0) {
            throw new ShapeException(type(), "input " + in + ": expected (channels, ...) with channels divisible by"
                    + " groups " + config.groups);
        }
        this.in = in;
        return in;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Tensor y = Tensor.zeros(x.shape());
        int c = in.dim(0);
        LayoutKernels.channelShuffle(x.data(), y.data(), x.dim(0), c, in.size() / c, config.groups);
        return y;
    }

    /** The inverse permutation: a shuffle with {@code C/groups} groups. */
    @Override
    public Tensor backward(Tensor gradOut) {
        Tensor gradIn = Tensor.zeros(gradOut.shape());
        int c = in.dim(0);
        LayoutKernels.channelShuffle(gradOut.data(), gradIn.data(), gradOut.dim(0), c, in.size() / c,
                c / config.groups);
        return gradIn;
    }

    @Override
    public String type() {
        return "ChannelShuffle";
    }

    @Override
    public Map<String, Object> config() {
        return CODEC.write(config);
    }

    /** The inverse of {@link #config()}. */
    public static ChannelShuffle fromConfig(Map<String, Object> map) {
        return new ChannelShuffle(CODEC.read(map));
    }

    @Override
    public String toString() {
        return CODEC.describe(config);
    }
}
