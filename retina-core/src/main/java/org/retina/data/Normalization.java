package org.retina.data;

import java.util.Arrays;
import org.retina.tensor.Shape;

/** Per-channel normalization of [0, 1] pixels: {@code x = (x - mean[c]) / std[c]}. */
public record Normalization(float[] mean, float[] std) {

    /** Checks one finite mean and one finite positive std per channel, and copies the arrays. */
    public Normalization {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("Normalization: mean has " + mean.length + " values and std "
                    + std.length + ", expected the same number (one per channel), at least 1");
        }
        for (int c = 0; c < std.length; c++) {
            if (!(std[c] > 0) || !Float.isFinite(std[c]) || !Float.isFinite(mean[c])) {
                throw new IllegalArgumentException("Normalization: channel " + c + " has mean " + mean[c]
                        + " and std " + std[c] + ", expected finite values and std > 0");
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** The mean per channel, as a fresh array. */
    @Override
    public float[] mean() {
        return mean.clone();
    }

    /** The standard deviation per channel, as a fresh array. */
    @Override
    public float[] std() {
        return std.clone();
    }

    /** The number of channels this normalization is for. */
    public int channels() {
        return mean.length;
    }

    /** Normalizes one {@code (C, H, W)} sample at {@code x[off ..]} in place. */
    public void apply(float[] x, int off, Shape sampleShape) {
        int channels = sampleShape.dim(0);
        if (channels != mean.length) {
            throw new IllegalArgumentException("Normalization: " + mean.length + " channels of mean/std, the sample "
                    + sampleShape + " has " + channels);
        }
        int plane = sampleShape.size() / channels;
        for (int c = 0; c < channels; c++) {
            float m = mean[c];
            float s = std[c];
            for (int i = off + c * plane, end = i + plane; i < end; i++) {
                x[i] = (x[i] - m) / s;
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Normalization(mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + ")";
    }
}
