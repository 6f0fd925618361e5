package org.retina.data;

import java.util.List;
import java.util.Optional;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * Labelled images, one sample at a time: pixels are read as floats scaled to [0, 1], then normalized
 * per channel when the dataset carries a {@link Normalization}.
 */
public interface Dataset {

    /** Number of samples. */
    int size();

    /** The shape of one sample, {@code (C, H, W)}, without a batch dimension. */
    Shape sampleShape();

    /** Class names; index {@code k} names label {@code k}. */
    List<String> classNames();

    /** The number of classes, the size of {@link #classNames()}. */
    default int numClasses() {
        return classNames().size();
    }

    /** The label of sample {@code i}, in {@code 0 .. numClasses() - 1}. */
    int label(int i);

    /** Writes sample {@code i}'s pixels scaled to [0, 1] (no normalization) into {@code dst[off ..]}. */
    void copyPixels(int i, float[] dst, int off);

    /** The per-channel normalization applied after scaling, if any. */
    default Optional<Normalization> normalization() {
        return Optional.empty();
    }

    /** Writes sample {@code i} as the model sees it: scaled to [0, 1], then normalized. */
    default void copySample(int i, float[] dst, int off) {
        copyPixels(i, dst, off);
        Optional<Normalization> n = normalization();
        if (n.isPresent()) {
            n.get().apply(dst, off, sampleShape());
        }
    }

    /** Sample {@code i} as a {@code (C, H, W)} tensor, normalized like {@link #copySample}. */
    default Tensor sample(int i) {
        float[] x = new float[sampleShape().size()];
        copySample(i, x, 0);
        return Tensor.wrap(x, sampleShape());
    }

    /** All labels, in order. */
    default int[] labels() {
        int[] r = new int[size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = label(i);
        }
        return r;
    }

    /**
     * A view of the same samples normalized per channel, {@code (x - mean[c]) / std[c]} on [0, 1] pixels;
     * it replaces any normalization this dataset already has.
     */
    default Dataset normalized(float[] mean, float[] std) {
        return Datasets.withNormalization(this, new Normalization(mean, std));
    }
}
