package org.retina.data;

import org.retina.tensor.Rng;
import org.retina.tensor.Shape;

/** Mirrors a sample left to right with probability {@code p} (torchvision {@code RandomHorizontalFlip}). */
public record HorizontalFlip(double p) implements Transform {

    /** Checks that {@code 0 <= p <= 1}. */
    public HorizontalFlip {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("HorizontalFlip: p is " + p + ", expected 0 <= p <= 1");
        }
    }

    /** Flips half of the samples. */
    public HorizontalFlip() {
        this(0.5);
    }

    @Override
    public void apply(float[] x, int off, Shape shape, Rng rng) {
        if (rng.nextDouble() < p) {
            flip(x, off, shape);
        }
    }

    /** Mirrors every row of every channel of the sample at {@code x[off ..]}. */
    public static void flip(float[] x, int off, Shape shape) {
        int w = shape.dim(-1);
        int rows = shape.size() / w;
        for (int r = 0; r < rows; r++) {
            int a = off + r * w;
            for (int i = 0, j = w - 1; i < j; i++, j--) {
                float t = x[a + i];
                x[a + i] = x[a + j];
                x[a + j] = t;
            }
        }
    }

    @Override
    public String toString() {
        return p == 0.5 ? "HorizontalFlip()" : "HorizontalFlip(p=" + p + ")";
    }
}
