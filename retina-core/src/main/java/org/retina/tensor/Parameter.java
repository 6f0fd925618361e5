package org.retina.tensor;

/**
 * A named tensor a model learns or keeps: its value, its gradient, and whether the optimizer may change it.
 * Buffers (batch-norm running statistics) are parameters without a gradient.
 */
public final class Parameter {
    private final String name;
    private final Tensor value;
    private final Tensor grad;
    private boolean trainable;

    private Parameter(String name, Tensor value, boolean withGrad) {
        this.name = name;
        this.value = value;
        this.grad = withGrad ? Tensor.zeros(value.shape()) : null;
        this.trainable = withGrad;
    }

    /** A learnable parameter with a gradient of the same shape. */
    public static Parameter learnable(String name, Shape shape) {
        return new Parameter(name, Tensor.zeros(shape), true);
    }

    /** A buffer: state saved with the model but not learned (running mean, running variance). */
    public static Parameter buffer(String name, Shape shape) {
        return new Parameter(name, Tensor.zeros(shape), false);
    }

    /** The local name inside its layer: {@code weight}, {@code bias}, {@code running_mean}. */
    public String name() {
        return name;
    }

    /** The current values, updated in place by the optimizer. */
    public Tensor value() {
        return value;
    }

    /** The accumulated gradient, or null for a buffer. */
    public Tensor grad() {
        return grad;
    }

    /** Whether this is a buffer, which has no gradient and is never learned. */
    public boolean isBuffer() {
        return grad == null;
    }

    /** Whether the optimizer updates this parameter; false for buffers and frozen weights. */
    public boolean trainable() {
        return trainable;
    }

    /** Freezes or unfreezes this parameter; a buffer cannot be made trainable. */
    public void setTrainable(boolean trainable) {
        if (trainable && grad == null) {
            throw new IllegalStateException("Parameter '" + name + "' is a buffer and cannot be made trainable");
        }
        this.trainable = trainable;
    }

    /** Clears the accumulated gradient before the next backward pass; nothing for a buffer. */
    public void zeroGrad() {
        if (grad != null) {
            grad.fill(0f);
        }
    }

    /** The number of elements in the value. */
    public int size() {
        return value.size();
    }

    /** The shape of the value, and of the gradient. */
    public Shape shape() {
        return value.shape();
    }

    @Override
    public String toString() {
        return "Parameter(" + name + ", " + value.shape() + (trainable ? "" : ", frozen") + ")";
    }
}
