package org.retina.nn;

import java.util.Map;
import org.retina.kernel.LayoutKernels;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * A contiguous range along one per-sample axis, {@code y = x[..., start:end, ...]} (axis 0 is the channels of a
 * {@code (C, H, W)} sample): what ShuffleNet's {@code chunk} and ONNX's {@code Slice} and {@code Split} do.
 */
public final class Slice implements Layer {

    /**
     * The per-sample axis (0 = the first dim after the batch) and the range {@code [start, end)} along it.
     *
     * @param axis  the per-sample axis, at least 0
     * @param start the first index kept, at least 0
     * @param end   one past the last index kept, above {@code start}
     */
    public record Config(int axis, int start, int end) {
        /** Checks the numbers; that the range fits the input is checked at build. */
        public Config {
            PoolWindow.atLeast("Slice", "axis", axis, 0);
            PoolWindow.atLeast("Slice", "start", start, 0);
            PoolWindow.atLeast("Slice", "end", end, start + 1);
        }
    }

    private static final SettingsCodec<Config> CODEC = SettingsCodec.of("Slice", new Config(0, 0, 1)).required("axis", "start", "end");

    private final Config config;
    private Shape in;
    private int outer;
    private int inner;

    /** A slice with the given settings. */
    public Slice(Config config) {
        this.config = config;
    }

    /** Indices {@code [start, end)} along per-sample {@code axis}. */
    public static Slice of(int axis, int start, int end) {
        return new Slice(new Config(axis, start, end));
    }

    /** The settings this layer was made with. */
    public Config settings() {
        return config;
    }

    @Override
    public Shape build(Shape in) {
        if (config.axis >= in.rank()) {
            throw new ShapeException(type(), "input " + in + " has no axis " + config.axis + " (its axes are 0.."
                    + (in.rank() - 1) + ")");
        }
        if (config.end > in.dim(config.axis)) {
            throw new ShapeException(type(), "input " + in + ": range [" + config.start + ", " + config.end
                    + ") along axis " + config.axis + " does not fit its " + in.dim(config.axis) + " entries");
        }
        this.in = in;
        int[] dims = in.dims();
        outer = 1;
        for (int i = 0; i < config.axis; i++) {
            outer *= dims[i];
        }
        inner = in.size() / outer / dims[config.axis];
        dims[config.axis] = config.end - config.start;
        return Shape.of(dims);
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        int n = x.dim(0);
        Tensor y = Tensor.zeros(outShape().withBatch(n));
        LayoutKernels.slice(x.data(), y.data(), n * outer, in.dim(config.axis), config.start,
                config.end - config.start, inner);
        return y;
    }

    private Shape outShape() {
        int[] dims = in.dims();
        dims[config.axis] = config.end - config.start;
        return Shape.of(dims);
    }

    /** The gradient in the sliced range, zero elsewhere. */
    @Override
    public Tensor backward(Tensor gradOut) {
        int n = gradOut.dim(0);
        Tensor gradIn = Tensor.zeros(in.withBatch(n));
        LayoutKernels.sliceBackward(gradOut.data(), gradIn.data(), n * outer, in.dim(config.axis), config.start,
                config.end - config.start, inner);
        return gradIn;
    }

    @Override
    public String type() {
        return "Slice";
    }

    @Override
    public Map<String, Object> config() {
        return CODEC.write(config);
    }

    /** The inverse of {@link #config()}. */
    public static Slice fromConfig(Map<String, Object> map) {
        return new Slice(CODEC.read(map));
    }

    @Override
    public String toString() {
        return CODEC.describe(config);
    }
}
