package org.retina.optim;

import java.util.Collection;
import org.retina.kernel.OptimKernels;
import org.retina.tensor.Parameter;

/** Gradient clipping by global norm, as PyTorch's {@code clip_grad_norm_}. */
public final class GradClip {
    private GradClip() {
    }

    /**
     * Scales the gradients of the trainable parameters so their joint L2 norm is at most {@code maxNorm};
     * returns the norm before clipping.
     */
    public static double byNorm(Collection<Parameter> params, double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("clip norm " + maxNorm + ", expected > 0");
        }
        double sq = 0;
        for (Parameter p : params) {
            if (p.trainable() && !p.isBuffer()) {
                sq += OptimKernels.sumOfSquares(p.grad().data(), p.size());
            }
        }
        double norm = Math.sqrt(sq);
        double factor = maxNorm / (norm + 1e-6);
        if (factor < 1) {
            for (Parameter p : params) {
                if (p.trainable() && !p.isBuffer()) {
                    OptimKernels.scale(p.grad().data(), p.size(), (float) factor);
                }
            }
        }
        return norm;
    }
}
