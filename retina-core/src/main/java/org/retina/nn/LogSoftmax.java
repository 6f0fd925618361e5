package org.retina.nn;

import java.util.Map;
import org.retina.kernel.Activations;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * Log-softmax, {@code y = x - max - log(sum(exp(x - max)))}, more accurate than the log of a softmax.
 * Over one dim of the batch tensor, by default dim 1, the channel or feature axis: per pixel for a
 * {@code (C, H, W)} sample; a negative dim counts from the end, as in PyTorch.
 */
public final class LogSoftmax implements Layer {
    private final int dim;
    private int outer;
    private int channels;
    private int inner;
    private Tensor output;
    private final Reusable out = new Reusable();
    private final Reusable grad = new Reusable();

    private LogSoftmax(int dim) {
        this.dim = dim;
    }

    /** Over dim 1, the channels. */
    public static LogSoftmax of() {
        return new LogSoftmax(1);
    }

    /** Over {@code dim} of the batch tensor (not 0, the batch; negative counts from the end). */
    public static LogSoftmax of(int dim) {
        if (dim == 0) {
            throw new IllegalArgumentException("LogSoftmax: dim 0 is the batch, expected another dim");
        }
        return new LogSoftmax(dim);
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
        Activations.logSoftmax(x.data(), y.data(), x.dim(0) * outer, channels, inner);
        if (mode == Mode.TRAIN) {
            output = y;
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        Tensor gradIn = grad.get(gradOut.shape());
        Activations.logSoftmaxBackward(output.data(), gradOut.data(), gradIn.data(), gradOut.dim(0) * outer,
                channels, inner);
        output = null;
        return gradIn;
    }

    @Override
    public String type() {
        return "LogSoftmax";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> m = Configs.map();
        m.put("dim", dim);
        return m;
    }

    /** The inverse of {@link #config()}. */
    public static LogSoftmax fromConfig(Map<String, Object> map) {
        return of(Configs.read("LogSoftmax", map).integer("dim", 1));
    }

    @Override
    public String toString() {
        return dim == 1 ? "LogSoftmax()" : "LogSoftmax(dim=" + dim + ")";
    }
}
