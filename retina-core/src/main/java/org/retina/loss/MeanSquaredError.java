package org.retina.loss;

import org.retina.kernel.LossKernels;
import org.retina.tensor.Tensor;

/** Mean squared error over every element; with integer labels the target is the one-hot vector. */
public final class MeanSquaredError implements Loss {

    /** The mean of the squared differences over every element of the batch. */
    public MeanSquaredError() {
    }
    private transient Tensor grad;

    @Override
    public double forward(Tensor output, int[] labels) {
        int n = output.dim(0);
        int c = output.size() / Math.max(n, 1);
        if (labels.length != n) {
            throw new IllegalArgumentException("MeanSquaredError: " + labels.length + " labels for a batch of " + n);
        }
        Tensor target = Tensor.zeros(output.shape());
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= c) {
                throw new IllegalArgumentException("MeanSquaredError: label " + labels[i] + " at " + i
                        + " is outside 0.." + (c - 1));
            }
            target.data()[i * c + labels[i]] = 1f;
        }
        return forward(output, target);
    }

    @Override
    public double forward(Tensor output, Tensor target) {
        if (!target.shape().equals(output.shape())) {
            throw new IllegalArgumentException("MeanSquaredError: target " + target.shape() + ", expected "
                    + output.shape());
        }
        grad = Tensor.zeros(output.shape());
        return LossKernels.meanSquaredError(output.data(), target.data(), output.size(), grad.data());
    }

    @Override
    public Tensor backward() {
        if (grad == null) {
            throw new IllegalStateException("MeanSquaredError: backward before forward");
        }
        Tensor g = grad;
        grad = null;
        return g;
    }

    @Override
    public Loss copy() {
        return new MeanSquaredError();
    }

    @Override
    public String name() {
        return "mse";
    }

    @Override
    public String toString() {
        return "MeanSquaredError()";
    }
}
