package org.retina.device;

import org.retina.tensor.Tensor;

/**
 * A model compiled for a device other than the Java heap (a GPU): weights, gradients, optimizer state and the
 * whole training step live there; data comes in and metrics go out at the edges. The host model and optimizer
 * are brought up to date by {@link #synchronize()}.
 */
public interface Accelerator extends AutoCloseable {

    /** The device, in words: {@code cuda:0 (NVIDIA H100 80GB HBM3)}. */
    String description();

    /**
     * One training step at {@code learningRate}: forward in training mode, the loss, backward and the optimizer's
     * update. Writes each sample's predicted class to {@code predicted} and returns the batch's mean loss.
     */
    double trainStep(Tensor x, int[] labels, double learningRate, int[] predicted);

    /** The model's output for {@code x} in evaluation mode, copied back to the host. */
    Tensor forward(Tensor x);

    /** Copies weights, buffers (running statistics) and optimizer state back into the host model and optimizer. */
    void synchronize();

    /** Waits for all queued device work (for timing). */
    void await();

    /** Frees the device memory; the host model keeps the last synchronized state. */
    @Override
    void close();
}
