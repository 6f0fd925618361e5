package org.retina.nn;

import java.util.Map;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * An activation applied value by value on any shape ({@link ReLU}, {@link Sigmoid}, {@link Tanh},
 * {@link LeakyReLU}, {@link ELU}, {@link SELU}, {@link Softplus}, {@link Softsign}, {@link Clip}): subclasses
 * name the two kernels, with their settings if they have any.
 */
abstract class Elementwise implements Layer {
    private final Reusable out = new Reusable();
    private final Reusable grad = new Reusable();
    private Tensor saved;

    /** {@code y = f(x)} over {@code n} values. */
    abstract void apply(float[] x, float[] y, int n);

    /** {@code gradIn = gradOut * f'(x)} over {@code n} values, read from the input or, where said, the output. */
    abstract void applyBackward(float[] saved, float[] gradOut, float[] gradIn, int n);

    /**
     * Whether {@link #applyBackward} reads the output {@code y} instead of the input: for functions whose derivative
     * is cheapest from their value (ReLU, sigmoid, tanh), and the output is kept for reuse anyway.
     */
    boolean gradientFromOutput() {
        return false;
    }

    /** Only where its derivative is taken from the output. */
    @Override
    public boolean backwardReadsOutput() {
        return gradientFromOutput();
    }

    /**
     * Where its derivative is taken from the output: it then never reads the input again, and those kernels (ReLU,
     * sigmoid, tanh) read each value before they write the same index.
     */
    @Override
    public boolean mayOverwriteInput(int i) {
        return gradientFromOutput();
    }

    @Override
    public Shape build(Shape in) {
        return in;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Tensor y = out.output(x.shape(), mode);
        apply(x.data(), y.data(), x.size());
        if (mode == Mode.TRAIN) {
            saved = gradientFromOutput() ? y : x;
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        Tensor gradIn = grad.gradient(gradOut.shape());
        applyBackward(saved.data(), gradOut.data(), gradIn.data(), gradOut.size());
        saved = null;
        return gradIn;
    }

    /** None: the layers with settings override it. */
    @Override
    public Map<String, Object> config() {
        return Configs.map();
    }

    @Override
    public String toString() {
        return type() + "()";
    }
}
