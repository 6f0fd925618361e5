package org.retina.nn;

import java.util.List;
import java.util.Map;
import org.retina.kernel.PointwiseKernels;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/** Elementwise product of two inputs of one shape, {@code y = a * b} (a gate, as in squeeze-and-excitation). */
public final class Multiply implements Merge {
    private Tensor a;
    private Tensor b;

    private Multiply() { // Multiply.of() makes one
    }

    /** A product of two inputs of one shape. */
    public static Multiply of() {
        return new Multiply();
    }

    @Override
    public Shape build(List<Shape> in) {
        if (in.size() != 2) {
            throw new ShapeException(type(), in.size() + " input(s) " + in + ", expected 2");
        }
        if (!in.get(0).equals(in.get(1))) {
            throw new ShapeException(type(), "input 1 " + in.get(1) + " does not match input 0 " + in.get(0)
                    + ", expected equal shapes");
        }
        return in.get(0);
    }

    @Override
    public Tensor forward(List<Tensor> xs, Mode mode) {
        Tensor y = Tensor.zeros(xs.get(0).shape());
        PointwiseKernels.multiply(xs.get(0).data(), xs.get(1).data(), y.data(), y.size());
        if (mode == Mode.TRAIN) {
            a = xs.get(0);
            b = xs.get(1);
        }
        return y;
    }

    /** {@code ga = gy * b}, {@code gb = gy * a}. */
    @Override
    public List<Tensor> backward(Tensor gradOut) {
        Tensor ga = Tensor.zeros(gradOut.shape());
        Tensor gb = Tensor.zeros(gradOut.shape());
        PointwiseKernels.multiply(gradOut.data(), b.data(), ga.data(), ga.size());
        PointwiseKernels.multiply(gradOut.data(), a.data(), gb.data(), gb.size());
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
