package org.retina.train;

import java.util.ArrayList;
import java.util.List;
import org.retina.device.Accelerator;
import org.retina.device.Devices;
import org.retina.loss.Outputs;
import org.retina.model.Model;
import org.retina.tensor.Tensor;

/** Class probabilities of a batch (softmax of the model's outputs, eval mode) and their top-k classes. */
public final class Predictions {
    private final Tensor probabilities;
    private final int classes;
    private final List<String> names;

    private Predictions(Tensor probabilities, List<String> names) {
        this.probabilities = probabilities;
        this.classes = probabilities.size() / probabilities.dim(0);
        this.names = names;
    }

    /**
     * Runs {@code model} in eval mode on one sample (the model's input shape) or a batch of them: Keras's
     * {@code predict} and a single image alike.
     */
    public static Predictions of(Model model, Tensor sampleOrBatch) {
        Tensor x = sampleOrBatch.shape().equals(model.inputShape())
                ? sampleOrBatch.reshape(model.inputShape().withBatch(1)) : sampleOrBatch;
        return of(model, x, 256);
    }

    /** These predictions with class names, which {@link #topK} then gives with each class (a label without one: its number). */
    public Predictions withClassNames(List<String> classNames) {
        return new Predictions(probabilities, List.copyOf(classNames));
    }

    /** Runs {@code model} on {@code x} in eval mode, {@code batchSize} samples at a time. */
    public static Predictions of(Model model, Tensor x, int batchSize) {
        return ofLogits(model.predict(x, batchSize));
    }

    /** {@link #of(Model, Tensor, int)} with the model run on {@code device} ({@code cpu}, {@code cuda}). */
    public static Predictions of(Model model, Tensor x, int batchSize, String device) {
        return ofLogits(outputs(model, x, batchSize, device));
    }

    /** The model's outputs (eval mode) on {@code device}, {@code batchSize} samples at a time. */
    public static Tensor outputs(Model model, Tensor x, int batchSize, String device) {
        try (Accelerator acc = Devices.open(device, model, null, null, Model.DEFAULT_SEED)) {
            if (acc == null) {
                return model.predict(x, batchSize);
            }
            int n = x.dim(0);
            Tensor out = Tensor.zeros(model.outputShape().withBatch(n));
            for (int from = 0; from < n; from += batchSize) {
                Tensor y = acc.forward(x.slice(from, Math.min(n, from + batchSize)));
                System.arraycopy(y.data(), 0, out.data(), from * y.sampleSize(), y.size());
            }
            return out;
        }
    }

    private static Predictions ofLogits(Tensor logits) {
        return new Predictions(Outputs.softmax(logits), List.of());
    }

    /** One class, its name (its number when the predictions have no names) and its probability. */
    public record Ranked(int label, String name, float probability) {
    }

    /** {@code (N, classes)}, rows summing to 1. */
    public Tensor probabilities() {
        return probabilities;
    }

    /** The {@code k} most likely classes of sample {@code i}, most likely first (ties: lower label first). */
    public List<Ranked> topK(int i, int k) {
        float[] p = probabilities.data();
        boolean[] used = new boolean[classes];
        List<Ranked> out = new ArrayList<>();
        for (int r = 0; r < Math.min(k, classes); r++) {
            int best = -1;
            for (int j = 0; j < classes; j++) {
                if (!used[j] && (best < 0 || p[i * classes + j] > p[i * classes + best])) {
                    best = j;
                }
            }
            used[best] = true;
            out.add(new Ranked(best, best < names.size() ? names.get(best) : Integer.toString(best),
                    p[i * classes + best]));
        }
        return out;
    }

    /** The most likely class of every sample. */
    public int[] labels() {
        int n = probabilities.dim(0);
        int[] l = new int[n];
        for (int i = 0; i < n; i++) {
            l[i] = topK(i, 1).getFirst().label();
        }
        return l;
    }
}
