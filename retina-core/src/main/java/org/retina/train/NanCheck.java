package org.retina.train;

import java.util.Map;
import org.retina.loss.Outputs;
import org.retina.model.Model;
import org.retina.tensor.Tensor;

/** The trainer's search for NaN and infinity ({@code withNanCheck}): where the first non-finite value appeared. */
final class NanCheck {
    private NanCheck() {
    }

    /** Where a non-finite value appeared; no stack trace (it is turned into a {@link TrainingDivergedException}). */
    static final class NonFinite extends RuntimeException {
        final String where;

        NonFinite(String where) {
            super(where, null, false, false);
            this.where = where;
        }
    }

    /** Throws {@link NonFinite} at the first non-finite gradient ({@code gradients}) or weight of a trainable parameter. */
    static void parameters(Model model, boolean gradients) {
        for (Map.Entry<String, org.retina.tensor.Parameter> e : model.namedParameters().entrySet()) {
            Tensor t = gradients ? e.getValue().grad() : e.getValue().value();
            if (e.getValue().trainable() && !Outputs.allFinite(t)) {
                throw new NonFinite(gradients ? "the gradient of " + e.getKey()
                        : e.getKey() + " after the optimizer's update (the learning rate is too large?)");
            }
        }
    }
}
