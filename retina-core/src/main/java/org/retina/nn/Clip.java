package org.retina.nn;

import java.util.Map;
import org.retina.kernel.PointwiseKernels;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * Clipping, {@code y = min(max(x, min), max)} (PyTorch's Hardtanh, ONNX's Clip; ReLU6 is {@code [0, 6]});
 * the gradient passes where {@code min < x < max}. An infinite bound leaves that side open.
 */
public final class Clip implements Layer {

    /** The bounds, {@code min <= max}; either may be infinite. */
    public record Config(double min, double max) {
        public Config {
            if (Double.isNaN(min) || Double.isNaN(max) || min > max) {
                throw new IllegalArgumentException("Clip: bounds [" + min + ", " + max
                        + "], expected min <= max");
            }
        }
    }

    private final Config config;
    private Tensor input;

    public Clip(Config config) {
        this.config = config;
    }

    public static Clip of(double min, double max) {
        return new Clip(new Config(min, max));
    }

    /** {@code min(max(x, 0), 6)}, MobileNet's activation. */
    public static Clip relu6() {
        return of(0, 6);
    }

    public Config settings() {
        return config;
    }

    @Override
    public Shape build(Shape in) {
        return in;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Tensor y = Tensor.zeros(x.shape());
        PointwiseKernels.clip(x.data(), y.data(), x.size(), (float) config.min, (float) config.max);
        if (mode == Mode.TRAIN) {
            input = x;
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        Tensor gradIn = Tensor.zeros(gradOut.shape());
        PointwiseKernels.clipBackward(input.data(), gradOut.data(), gradIn.data(), gradOut.size(),
                (float) config.min, (float) config.max);
        input = null;
        return gradIn;
    }

    @Override
    public String type() {
        return "Clip";
    }

    /** Infinite bounds are left out (JSON has no infinity). */
    @Override
    public Map<String, Object> config() {
        Map<String, Object> m = Configs.map();
        if (Double.isFinite(config.min)) {
            m.put("min", config.min);
        }
        if (Double.isFinite(config.max)) {
            m.put("max", config.max);
        }
        return m;
    }

    /** The inverse of {@link #config()}. */
    public static Clip fromConfig(Map<String, Object> map) {
        Configs r = Configs.read("Clip", map);
        return of(r.number("min", Double.NEGATIVE_INFINITY), r.number("max", Double.POSITIVE_INFINITY));
    }

    @Override
    public String toString() {
        return "Clip(" + bound(config.min) + ", " + bound(config.max) + ")";
    }

    private static String bound(double v) {
        return Double.isInfinite(v) ? (v > 0 ? "inf" : "-inf") : PoolWindow.number(v);
    }
}
