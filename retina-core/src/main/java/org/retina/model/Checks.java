package org.retina.model;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.retina.nn.Component;
import org.retina.nn.Mode;
import org.retina.tensor.Tensor;

/** What {@link Model} checks when it builds, and its batched prediction. */
final class Checks {
    private Checks() {
    }

    /** Refuses one layer object at two nodes, naming both: a layer keeps the values of one place's passes. */
    static void distinctComponents(String kind, List<Model.Node> nodes) {
        Map<Component, String> seen = new IdentityHashMap<>();
        for (Model.Node n : nodes) {
            String first = seen.putIfAbsent(n.component(), n.name());
            if (first != null) {
                throw new IllegalArgumentException(kind + ": nodes '" + first + "' and '" + n.name() + "' are the"
                        + " same " + n.component().type() + " object; a layer keeps its own weights and the values"
                        + " its backward pass needs, so each place needs its own (make a second one)");
            }
        }
    }

    /** The model's eval-mode outputs for a batch, {@code batchSize} samples a pass, in a tensor of the caller's. */
    static Tensor predict(Model model, Tensor x, int batchSize) {
        int n = x.dim(0);
        if (n <= batchSize) {
            return model.forward(x, Mode.EVAL).copy();
        }
        Tensor out = Tensor.zeros(model.outputShape().withBatch(n));
        for (int from = 0; from < n; from += batchSize) {
            Tensor y = model.forward(x.slice(from, Math.min(n, from + batchSize)), Mode.EVAL);
            System.arraycopy(y.data(), 0, out.data(), from * y.sampleSize(), y.size());
        }
        return out;
    }
}
