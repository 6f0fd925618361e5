package org.retina.nn;

import java.util.Arrays;
import java.util.Map;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * Views each sample with another shape of the same size, {@code torch.reshape(x, (N, *shape))}; one dimension
 * may be -1, inferred. The data order is unchanged; forward and backward copy once, as {@link Flatten} does.
 */
public final class Reshape implements Layer {

    /** The per-sample target shape; at most one -1. */
    public record Config(int[] shape) {
        /** Copies {@code shape} and checks that its sizes are at least 1, with at most one -1. */
        public Config {
            shape = shape.clone();
            int unknown = 0;
            for (int d : shape) {
                if (d < -1 || d == 0) {
                    throw new IllegalArgumentException("Reshape: shape " + Arrays.toString(shape)
                            + " has " + d + ", expected sizes >= 1 and at most one -1");
                }
                unknown += d == -1 ? 1 : 0;
            }
            if (unknown > 1) {
                throw new IllegalArgumentException("Reshape: shape " + Arrays.toString(shape)
                        + " has more than one -1");
            }
        }

        /** The per-sample target shape as a fresh array; -1 marks the inferred dimension. */
        @Override
        public int[] shape() {
            return shape.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Config c && Arrays.equals(shape, c.shape);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(shape);
        }

        @Override
        public String toString() {
            return "Config[shape=" + Arrays.toString(shape) + "]";
        }
    }

    private static final SettingsCodec<Config> CODEC = SettingsCodec.of("Reshape", new Config(new int[] {-1})).required("shape");

    private final Config config;
    private Shape in;
    private Shape out;

    /** A reshape with the given settings, checked against the input at build. */
    public Reshape(Config config) {
        this.config = config;
    }

    /** A view of each sample as {@code shape}, where one dimension may be -1. */
    public static Reshape of(int... shape) {
        return new Reshape(new Config(shape));
    }

    /** The settings this layer was made with. */
    public Config settings() {
        return config;
    }

    @Override
    public Shape build(Shape in) {
        int[] dims = config.shape;
        int known = 1;
        int unknownAt = -1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == -1) {
                unknownAt = i;
            } else {
                known *= dims[i];
            }
        }
        if (unknownAt >= 0 ? in.size() % known != 0 : known != in.size()) {
            throw new ShapeException(type(), "input " + in + " holds " + in.size() + " values, which cannot be viewed"
                    + " as " + Arrays.toString(dims));
        }
        if (unknownAt >= 0) {
            dims[unknownAt] = in.size() / known;
        }
        this.in = in;
        this.out = Shape.of(dims);
        return out;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        return x.copy().reshape(out.withBatch(x.dim(0)));
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        return gradOut.copy().reshape(in.withBatch(gradOut.dim(0)));
    }

    @Override
    public String type() {
        return "Reshape";
    }

    @Override
    public Map<String, Object> config() {
        return CODEC.write(config);
    }

    /** The inverse of {@link #config()}. */
    public static Reshape fromConfig(Map<String, Object> map) {
        return new Reshape(CODEC.read(map));
    }

    @Override
    public String toString() {
        return "Reshape(" + (out != null ? out : Arrays.toString(config.shape)) + ")";
    }
}
