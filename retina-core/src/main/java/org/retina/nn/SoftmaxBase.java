package org.retina.nn;

import java.util.Map;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * What {@link Softmax} and {@link LogSoftmax} share: the dim, the geometry around it and the output cache; they
 * differ only in their kernels. The batch tensor is seen as {@code (outer, channels, inner)} around the dim.
 */
abstract class SoftmaxBase implements Layer {
    private final int dim;
    private int outer; // per sample: the kernels get it times the batch
    private int channels;
    private int inner;
    private Tensor output;
    private final Reusable out = new Reusable();
    private final Reusable grad = new Reusable();

    SoftmaxBase(int dim) {
        this.dim = dim;
    }

    /** {@code dim}, for a static factory: the batch's dim 0 is refused, naming the layer type. */
    static int checkDim(String type, int dim) {
        if (dim == 0) {
            throw new IllegalArgumentException(type + ": dim 0 is the batch, expected another dim");
        }
        return dim;
    }

    /** The kernel: {@code y} from {@code x}, each {@code (outer, channels, inner)} with the batch in {@code outer}. */
    abstract void apply(float[] x, float[] y, int outer, int channels, int inner);

    /** The gradient kernel: it needs only the forward's output {@code y}. */
    abstract void applyBackward(float[] y, float[] gradOut, float[] gradIn, int outer, int channels, int inner);

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
        apply(x.data(), y.data(), x.dim(0) * outer, channels, inner);
        if (mode == Mode.TRAIN) {
            output = y;
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        Tensor gradIn = grad.gradient(gradOut.shape());
        applyBackward(output.data(), gradOut.data(), gradIn.data(), gradOut.dim(0) * outer, channels, inner);
        output = null;
        return gradIn;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> m = Configs.map();
        m.put("dim", dim);
        return m;
    }

    @Override
    public String toString() {
        return dim == 1 ? type() + "()" : type() + "(dim=" + dim + ")";
    }
}
