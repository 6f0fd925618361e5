package org.retina.device;

import org.retina.loss.Loss;
import org.retina.model.Model;
import org.retina.optim.Optimizer;

/** Makes {@link Accelerator}s for one kind of device; found with {@link java.util.ServiceLoader}. */
public interface AcceleratorProvider {

    /** The device name users write: {@code cuda}. */
    String name();

    /** Null when the device can be used here, else why not, in one sentence that says what to install or set. */
    String unavailableReason();

    /**
     * Compiles a built model for the device, copying its parameters and buffers and, when {@code optimizer} is not
     * null, the optimizer's state; {@code loss} and {@code optimizer} null give an inference-only accelerator.
     * {@code clipNorm > 0} clips the gradients' joint norm before each update (0: no clipping).
     */
    Accelerator open(Model model, Loss loss, Optimizer optimizer, long seed, double clipNorm);
}
