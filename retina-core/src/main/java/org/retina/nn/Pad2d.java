package org.retina.nn;

import java.util.Locale;
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
        Map<String, Object> m = Configs.map();
        m.put("padding", Configs.list(config.top, config.bottom, config.left, config.right));
        m.put("mode", config.mode.name().toLowerCase(Locale.ROOT));
        if (config.mode == PadMode.CONSTANT) {
            m.put("value", config.value);
        }
        return m;
    }

    /** The inverse of {@link #config()}. */
    public static Pad2d fromConfig(Map<String, Object> map) {
        Configs r = Configs.read("Pad2d", map);
        int[] p = r.ints("padding");
        if (p.length != 4) {
            throw new IllegalArgumentException("Pad2d config: 'padding' is " + map.get("padding")
                    + ", expected [top, bottom, left, right]");
        }
        String mode = r.string("mode", "constant");
        PadMode m = switch (mode) {
            case "constant" -> PadMode.CONSTANT;
            case "reflect" -> PadMode.REFLECT;
            case "edge" -> PadMode.EDGE;
            default -> throw new IllegalArgumentException("Pad2d config: 'mode' is " + mode
                    + ", expected constant, reflect or edge");
        };
        return new Pad2d(new Config(p[0], p[1], p[2], p[3], m, r.number("value", 0)));
    }

    @Override
    public String toString() {
        Config c = config;
        return "Pad2d((" + c.top + ", " + c.bottom + ", " + c.left + ", " + c.right + ")"
                + (c.mode != PadMode.CONSTANT ? ", " + c.mode.name().toLowerCase(Locale.ROOT)
                        : c.value != 0 ? ", value=" + PoolWindow.number(c.value) : "") + ")";
    }
}
