package org.retina.nn;

import java.util.List;
import java.util.Map;
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
    /** The output's per-sample dims and each input's strides over them (0 where it repeats); null: equal shapes. */
    private int[] dims;
    private int[] aStride;
    private int[] bStride;

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
        Shape s0 = in.get(0);
        Shape s1 = in.get(1);
        if (s0.equals(s1)) {
            dims = null;
            return s0;
        }
        int rank = Math.max(Math.max(s0.rank(), s1.rank()), 1);
        int[] out = new int[rank];
        int[] d0 = aligned(s0, rank);
        int[] d1 = aligned(s1, rank);
        for (int i = 0; i < rank; i++) {
            if (d0[i] != d1[i] && d0[i] != 1 && d1[i] != 1) {
                throw new ShapeException(type(), "input 1 " + s1 + " does not match input 0 " + s0 + ", expected"
                        + " equal shapes or shapes that broadcast (dims from the right equal or 1)");
            }
            out[i] = Math.max(d0[i], d1[i]);
        }
        dims = out;
        aStride = strides(d0);
        bStride = strides(d1);
        return Shape.of(out);
    }

    private static int[] aligned(Shape s, int rank) {
        int[] d = new int[rank];
        java.util.Arrays.fill(d, 1);
        for (int i = 0; i < s.rank(); i++) {
            d[rank - s.rank() + i] = s.dim(i);
        }
        return d;
    }

    /** Row-major strides of {@code d}, 0 along dims of size 1 (which broadcast). */
    private static int[] strides(int[] d) {
        int[] st = new int[d.length];
        int step = 1;
        for (int i = d.length - 1; i >= 0; i--) {
            st[i] = d[i] == 1 ? 0 : step;
            step *= d[i];
        }
        return st;
    }

    @Override
    public Tensor forward(List<Tensor> xs, Mode mode) {
        Tensor x0 = xs.get(0);
        Tensor x1 = xs.get(1);
        Tensor y;
        if (dims == null) {
            y = Tensor.zeros(x0.shape());
            PointwiseKernels.multiply(x0.data(), x1.data(), y.data(), y.size());
        } else {
            int n = x0.shape().dim(0);
            int[] full = new int[dims.length + 1];
            full[0] = n;
            System.arraycopy(dims, 0, full, 1, dims.length);
            y = Tensor.zeros(Shape.of(full));
            PointwiseKernels.broadcastMultiply(x0.data(), x0.size() / n, aStride, x1.data(), x1.size() / n,
                    bStride, y.data(), n, dims);
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
        if (dims == null) {
            PointwiseKernels.multiply(gradOut.data(), b.data(), ga.data(), ga.size());
            PointwiseKernels.multiply(gradOut.data(), a.data(), gb.data(), gb.size());
        } else {
            int n = gradOut.shape().dim(0);
            int aBlock = a.size() / n;
            int bBlock = b.size() / n;
            PointwiseKernels.broadcastMultiplyBackward(gradOut.data(), b.data(), bBlock, bStride, ga.data(), aBlock,
                    aStride, n, dims);
            PointwiseKernels.broadcastMultiplyBackward(gradOut.data(), a.data(), aBlock, aStride, gb.data(), bBlock,
                    bStride, n, dims);
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
