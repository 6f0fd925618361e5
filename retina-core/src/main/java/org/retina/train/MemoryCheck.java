package org.retina.train;

import org.retina.model.Model;

/** The check, before training, that the weights, gradients, optimizer state and activations fit in the heap. */
final class MemoryCheck {
    private MemoryCheck() {
    }

    /**
     * Fails before the first step when the summary's estimate of training memory exceeds what the heap can still
     * give, with the estimate and the texts' advice: most memory goes to activations, so lower the batch size.
     */
    static void check(Model model, org.retina.optim.Optimizer optimizer, int batchSize) {
        Runtime rt = Runtime.getRuntime();
        long available = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        int slots = optimizer.slotsPerParameter();
        org.retina.model.Summary s = model.summary();
        long need = s.trainingBytes(batchSize, slots);
        if (need <= available) {
            return;
        }
        int fits = batchSize;
        while (fits > 1 && s.trainingBytes(fits, slots) > available) {
            fits /= 2;
        }
        String advice = s.trainingBytes(fits, slots) <= available
                ? "lower the batch size (" + fits + " would need about "
                        + org.retina.model.Summary.bytes(s.trainingBytes(fits, slots)) + ")"
                : "the weights alone do not fit: choose a smaller model";
        throw new InsufficientMemoryException("training at batch " + batchSize + " needs about "
                + org.retina.model.Summary.bytes(need) + " (weights, gradients, optimizer state and activations), the"
                + " Java heap has " + org.retina.model.Summary.bytes(available) + " left: " + advice
                + ", or give Java more memory (RETINA_JAVA_OPTS=-Xmx16g)");
    }
}
