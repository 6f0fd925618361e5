package org.retina.data;

import org.retina.tensor.Tensor;

/** One batch: inputs {@code x} of shape {@code (N, C, H, W)}, their labels and their indices in the dataset. */
public record Batch(Tensor x, int[] labels, int[] indices) {

    /** Checks that {@code x}, the labels and the indices hold the same number of samples N. */
    public Batch {
        if (labels.length != indices.length || x.rank() == 0 || x.dim(0) != labels.length) {
            throw new IllegalArgumentException("Batch: x " + x.shape() + ", " + labels.length + " labels and "
                    + indices.length + " indices, expected the same count N");
        }
    }

    /** Number of samples N. */
    public int size() {
        return labels.length;
    }
}
