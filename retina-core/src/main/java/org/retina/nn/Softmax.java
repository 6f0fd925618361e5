package org.retina.nn;

import java.util.Map;
import org.retina.kernel.Activations;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * Softmax, {@code y = exp(x - max) / sum(exp(x - max))}: the max is subtracted so exp cannot overflow.
 * Over one dim of the batch tensor, by default dim 1, the channel or feature axis: per pixel for a
 * {@code (C, H, W)} sample; a negative dim counts from the end, as in PyTorch.
 */
public final class Softmax implements Layer {
    private final int dim;
    private int outer;
    private int channels;
    private int inner;
    private Tensor output;
    private final Reusable out = new Reusable();
    private final Reusable grad = new Reusable();

    private Softmax(int dim) {
        this.dim = dim;
    }

    /** Over dim 1, the channels. */
    public static Softmax of() {
        return new Softmax(1);
    }

    /** Over {@code dim} of the batch tensor (not 0, the batch; negative counts from the end). */
    public static Softmax of(int dim) {
        if (dim == 0) {
            throw new IllegalArgumentException("Softmax: dim 0 is the batch, expected another dim");
        }
        return new Softmax(dim);
    }

    /** The dim of the batch tensor, as given. */
    public int dim() {
        return dim;
    }

    @Override
    public Shape build(Shape in) {
        if (in.rank() < 1) {
            throw new ShapeException(type(), "input " + in + " has no channel axis, expected rank >= 1");
        }
        int axis = dim < 0 ? dim + in.rank() : dim - 1;
        if (axis < 0 || axis >= in.rank()) {
            throw new ShapeException(type(), "input " + in + ": dim " + dim + " is outside the batch tensor's dims 1.."
                    + in.rank());
        }
        int[] d = in.dims();
        outer = 1;
        for (int i = 0; i < axis; i++) {
            outer *= d[i];
        }
        channels = d[axis];
        inner = in.size() / Math.max(1, outer * channels);
        return in;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Tensor y = out.forward(x.shape(), mode);
        Activations.softmax(x.data(), y.data(), x.dim(0) * outer, channels, inner);
        if (mode == Mode.TRAIN) {
            output = y;
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        Tensor gradIn = grad.get(gradOut.shape());
        Activations.softmaxBackward(output.data(), gradOut.data(), gradIn.data(), gradOut.dim(0) * outer,
                channels, inner);
        output = null;
        return gradIn;
    }

    @Override
    public String type() {
        return "Softmax";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> m = Configs.map();
        m.put("dim", dim);
        return m;
    }

    /** The inverse of {@link #config()}. */
    public static Softmax fromConfig(Map<String, Object> map) {
        return of(Configs.read("Softmax", map).integer("dim", 1));
    }

    @Override
    public String toString() {
        return dim == 1 ? "Softmax()" : "Softmax(dim=" + dim + ")";
    }
}
