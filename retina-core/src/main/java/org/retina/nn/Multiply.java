package org.retina.nn;

import java.util.List;
import java.util.Map;
import org.retina.kernel.BroadcastKernels;
import org.retina.kernel.PointwiseKernels;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * Elementwise product of two inputs, {@code y = a * b}, with NumPy's broadcasting over the per-sample dims (a
 * gate, as in squeeze-and-excitation: a {@code (C, H, W)} map times a {@code (C, 1, 1)} per-channel vector). The
 * dims are aligned from the right; each pair must be equal or one of them 1. The batch is never broadcast.
 */
public final class Multiply implements Merge {
    private Tensor a;
    private Tensor b;
    /** How the inputs broadcast; null for equal shapes. */
    private Broadcasting cast;

    private Multiply() { // Multiply.of() makes one
    }

    /** A product of two inputs of one shape, or of shapes that broadcast. */
    public static Multiply of() {
        return new Multiply();
    }

    @Override
    public Shape build(List<Shape> in) {
        if (in.size() != 2) {
            throw new ShapeException(type(), in.size() + " input(s) " + in + ", expected 2");
        }
        cast = in.get(0).equals(in.get(1)) ? null : Broadcasting.of(type(), in.get(0), in.get(1));
        return cast == null ? in.get(0) : cast.shape();
    }

    @Override
    public Tensor forward(List<Tensor> xs, Mode mode) {
        Tensor x0 = xs.get(0);
        Tensor x1 = xs.get(1);
        Tensor y;
        if (cast == null) {
            y = Buffers.zeros(x0.shape());
            PointwiseKernels.multiply(x0.data(), x1.data(), y.data(), y.size());
        } else {
            int n = x0.shape().dim(0);
            y = Buffers.zeros(cast.withBatch(n));
            BroadcastKernels.broadcastMultiply(x0.data(), x0.size() / n, cast.aStride(), x1.data(), x1.size() / n,
                    cast.bStride(), y.data(), n, cast.dims());
        }
        if (mode == Mode.TRAIN) {
            a = x0;
            b = x1;
        }
        return y;
    }

    /** {@code ga = gy * b}, {@code gb = gy * a}, each summed over the positions where its input was repeated. */
    @Override
    public List<Tensor> backward(Tensor gradOut) {
        Tensor ga = Tensor.zeros(a.shape());
        Tensor gb = Tensor.zeros(b.shape());
        if (cast == null) {
            PointwiseKernels.multiply(gradOut.data(), b.data(), ga.data(), ga.size());
            PointwiseKernels.multiply(gradOut.data(), a.data(), gb.data(), gb.size());
        } else {
            int n = gradOut.shape().dim(0);
            int aBlock = a.size() / n;
            int bBlock = b.size() / n;
            BroadcastKernels.broadcastMultiplyBackward(gradOut.data(), b.data(), bBlock, cast.bStride(), ga.data(),
                    aBlock, cast.aStride(), n, cast.dims());
            BroadcastKernels.broadcastMultiplyBackward(gradOut.data(), a.data(), aBlock, cast.aStride(), gb.data(),
                    bBlock, cast.bStride(), n, cast.dims());
        }
        a = null;
        b = null;
        return List.of(ga, gb);
    }

    @Override
    public String type() {
        return "Multiply";
    }

    @Override
    public Map<String, Object> config() {
        return Configs.map();
    }

    /** The inverse of {@link #config()}. */
    public static Multiply fromConfig(Map<String, Object> map) {
        return new Multiply();
    }

    @Override
    public String toString() {
        return "Multiply()";
    }
}
