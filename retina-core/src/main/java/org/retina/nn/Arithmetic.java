package org.retina.nn;

import java.util.List;
import java.util.Map;
import org.retina.kernel.BroadcastKernels;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * The sum, difference or quotient of two computed inputs with NumPy's broadcasting over the per-sample dims:
 * what ONNX's {@code Add}, {@code Sub} and {@code Div} of two computed values do (a residual sum over a broadcast
 * shape, a normalization written out by hand). {@link Add} sums inputs of one shape and {@link Multiply} takes
 * products.
 */
public final class Arithmetic implements Merge {

    /** The operation. */
    public enum Op {
        /** {@code a + b}. */
        ADD(BroadcastKernels.ADD),
        /** {@code a - b}. */
        SUBTRACT(BroadcastKernels.SUBTRACT),
        /** {@code a / b}. */
        DIVIDE(BroadcastKernels.DIVIDE);

        private final int code;

        Op(int code) {
            this.code = code;
        }
    }

    /**
     * The settings.
     *
     * @param op the operation
     */
    public record Config(Op op) {
        /** Checks that an operation is given. */
        public Config {
            if (op == null) {
                throw new IllegalArgumentException("Arithmetic: op is missing, expected one of "
                        + List.of(Op.values()));
            }
        }
    }

    private static final SettingsCodec<Config> CODEC = SettingsCodec.of("Arithmetic", new Config(Op.ADD)).required("op");

    private final Config config;
    private Broadcasting cast;
    private Tensor a;
    private Tensor b;

    /** The merge with the given settings. */
    public Arithmetic(Config config) {
        this.config = config;
    }

    /** {@code a op b}. */
    public static Arithmetic of(Op op) {
        return new Arithmetic(new Config(op));
    }

    /** The settings this merge was made with. */
    public Config settings() {
        return config;
    }

    @Override
    public Shape build(List<Shape> in) {
        if (in.size() != 2) {
            throw new ShapeException(type(), in.size() + " input(s) " + in + ", expected 2");
        }
        cast = Broadcasting.of(type(), in.get(0), in.get(1));
        return cast.shape();
    }

    @Override
    public Tensor forward(List<Tensor> xs, Mode mode) {
        Tensor x0 = xs.get(0);
        Tensor x1 = xs.get(1);
        int n = x0.dim(0);
        Tensor y = Buffers.zeros(cast.withBatch(n));
        BroadcastKernels.broadcastBinary(config.op.code, x0.data(), x0.size() / n, cast.aStride(), x1.data(),
                x1.size() / n, cast.bStride(), y.data(), n, cast.dims());
        if (mode == Mode.TRAIN) {
            a = x0;
            b = x1;
        }
        return y;
    }

    /** Each input's gradient summed over the positions where it was repeated. */
    @Override
    public List<Tensor> backward(Tensor gradOut) {
        int n = gradOut.dim(0);
        Tensor ga = Tensor.zeros(a.shape());
        Tensor gb = Tensor.zeros(b.shape());
        BroadcastKernels.broadcastBinaryBackward(config.op.code, gradOut.data(), a.data(), a.size() / n,
                cast.aStride(), b.data(), b.size() / n, cast.bStride(), ga.data(), gb.data(), n, cast.dims());
        a = null;
        b = null;
        return List.of(ga, gb);
    }

    @Override
    public String type() {
        return "Arithmetic";
    }

    @Override
    public Map<String, Object> config() {
        return CODEC.write(config);
    }

    /** The inverse of {@link #config()}. */
    public static Arithmetic fromConfig(Map<String, Object> map) {
        return new Arithmetic(CODEC.read(map));
    }

    @Override
    public String toString() {
        return CODEC.describe(config);
    }
}
