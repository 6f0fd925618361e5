package org.retina.nn;

import java.util.Map;
import org.retina.kernel.LayoutKernels;
import org.retina.kernel.LayoutKernels.PadMode;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * Padding of each channel's plane, {@code (C, H, W) -> (C, top + H + bottom, left + W + right)}: with a constant
 * (PyTorch's ConstantPad2d), the reflection about the edge pixel (ReflectionPad2d) or the edge pixel repeated
 * (ReplicationPad2d, ONNX's {@code edge}).
 */
public final class Pad2d implements Layer {

    /** Sizes per side, the mode, and the value of constant padding. */
    public record Config(int top, int bottom, int left, int right, PadMode mode, double value) {
        /** Rejects negative sizes and a non-finite value. */
        public Config {
            if (top < 0 || bottom < 0 || left < 0 || right < 0) {
                throw new IllegalArgumentException("Pad2d: padding (" + top + ", " + bottom + ", " + left + ", "
                        + right + "), expected sizes >= 0");
            }
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("Pad2d: value is " + value + ", expected a finite number");
            }
        }
    }

    private static final SettingsCodec<Config> CODEC = SettingsCodec.of("Pad2d",
            new Config(0, 0, 0, 0, PadMode.CONSTANT, 0)).required("top", "bottom", "left", "right")
            .positional("top", "bottom", "left", "right");

    private final Config config;
    private Shape in;

    /** A padding with the given settings. */
    public Pad2d(Config config) {
        this.config = config;
    }

    /** Zeros on every side. */
    public static Pad2d zeros(int top, int bottom, int left, int right) {
        return new Pad2d(new Config(top, bottom, left, right, PadMode.CONSTANT, 0));
    }

    /** {@code value} on every side, PyTorch's ConstantPad2d. */
    public static Pad2d constant(int top, int bottom, int left, int right, double value) {
        return new Pad2d(new Config(top, bottom, left, right, PadMode.CONSTANT, value));
    }

    /** The reflection about the edge pixel, PyTorch's ReflectionPad2d; each pad must be below the size it reflects. */
    public static Pad2d reflect(int top, int bottom, int left, int right) {
        return new Pad2d(new Config(top, bottom, left, right, PadMode.REFLECT, 0));
    }

    /** The edge pixel repeated (PyTorch's replication padding). */
    public static Pad2d edge(int top, int bottom, int left, int right) {
        return new Pad2d(new Config(top, bottom, left, right, PadMode.EDGE, 0));
    }

    /** The settings this layer was made with. */
    public Config settings() {
        return config;
    }

    @Override
    public Shape build(Shape in) {
        Config c = config;
        if (in.rank() != 3) {
            throw new ShapeException(type(), "input " + in + ", expected (channels, height, width)");
        }
        if (c.mode == PadMode.REFLECT && (Math.max(c.top, c.bottom) >= in.dim(1) || Math.max(c.left, c.right)
                >= in.dim(2))) {
            throw new ShapeException(type(), "input " + in.dim(1) + "x" + in.dim(2) + ", reflect padding ("
                    + c.top + ", " + c.bottom + ", " + c.left + ", " + c.right
                    + "): each pad must be below the size it reflects");
        }
        this.in = in;
        return Shape.of(in.dim(0), in.dim(1) + c.top + c.bottom, in.dim(2) + c.left + c.right);
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Config c = config;
        Tensor y = Tensor.zeros(Shape.of(x.dim(0), in.dim(0), in.dim(1) + c.top + c.bottom,
                in.dim(2) + c.left + c.right));
        LayoutKernels.pad(x.data(), y.data(), x.dim(0) * in.dim(0), in.dim(1), in.dim(2), c.top, c.bottom, c.left,
                c.right, c.mode, (float) c.value);
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        Config c = config;
        int n = gradOut.dim(0);
        Tensor gradIn = Tensor.zeros(in.withBatch(n));
        LayoutKernels.padBackward(gradOut.data(), gradIn.data(), n * in.dim(0), in.dim(1), in.dim(2), c.top,
                c.bottom, c.left, c.right, c.mode);
        return gradIn;
    }

    @Override
    public String type() {
        return "Pad2d";
    }

    @Override
    public Map<String, Object> config() {
        return CODEC.write(config);
    }

    /** The inverse of {@link #config()}. */
    public static Pad2d fromConfig(Map<String, Object> map) {
        if (map.containsKey("padding") && !map.containsKey("top")) {
            // Model files before the settings codec wrote the four sizes as one list.
            int[] p = Configs.read("Pad2d", map).ints("padding");
            if (p.length != 4) {
                throw new IllegalArgumentException("Pad2d config: 'padding' is " + map.get("padding")
                        + ", expected [top, bottom, left, right]");
            }
            Map<String, Object> m = new java.util.LinkedHashMap<>(map);
            m.putAll(Map.of("top", p[0], "bottom", p[1], "left", p[2], "right", p[3]));
            return new Pad2d(CODEC.read(m));
        }
        return new Pad2d(CODEC.read(map));
    }

    @Override
    public String toString() {
        return CODEC.describe(config);
    }
}
