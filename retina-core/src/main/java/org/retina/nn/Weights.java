package org.retina.nn;

import java.util.List;
import org.retina.tensor.Parameter;

/** What the layers with a weight and an optional bias ({@link Conv2d}, {@link Dense}, ...) say of them alike. */
final class Weights {
    private Weights() {
    }

    /** {@code [weight, bias]}, without the bias when it is null; empty before build (weight null). */
    static List<Parameter> of(Parameter weight, Parameter bias) {
        return weight == null ? List.of() : bias == null ? List.of(weight) : List.of(weight, bias);
    }

    /** Whether either learns: a frozen layer computes no parameter gradient, only its input's. */
    static boolean learn(Parameter weight, Parameter bias) {
        return weight.trainable() || (bias != null && bias.trainable());
    }
}
