package org.retina.data;

import java.util.Arrays;
import org.retina.tensor.Rng;
import org.retina.tensor.Shape;

/**
 * Zero-pads a sample by {@code padding} on every side, then crops it back to its own size at a random
 * offset in {@code 0 .. 2*padding} per axis (torchvision {@code RandomCrop(size, padding)}, fill 0).
 */
public record RandomCrop(int padding) implements Transform {

    /** Checks that {@code padding} is not negative. */
    public RandomCrop {
        if (padding < 0) {
            throw new IllegalArgumentException("RandomCrop: padding is " + padding + ", expected >= 0");
        }
    }

    @Override
    public void apply(float[] x, int off, Shape shape, Rng rng) {
        int dy = rng.nextInt(2 * padding + 1); // top, as torchvision draws i before j
        int dx = rng.nextInt(2 * padding + 1);
        crop(x, off, shape, dy, dx);
    }

    /**
     * Crops at offset {@code (dy, dx)} of the padded sample: output {@code (y, x)} is input
     * {@code (y + dy - padding, x + dx - padding)}, or 0 outside the input.
     */
    public void crop(float[] x, int off, Shape shape, int dy, int dx) {
        if (dy < 0 || dy > 2 * padding || dx < 0 || dx > 2 * padding) {
            throw new IllegalArgumentException("RandomCrop(" + padding + "): offset (" + dy + ", " + dx
                    + "), expected 0.." + 2 * padding + " on both axes");
        }
        int sy = dy - padding;
        int sx = dx - padding;
        if (sy == 0 && sx == 0) {
            return;
        }
        int h = shape.dim(-2);
        int w = shape.dim(-1);
        int planes = shape.size() / (h * w);
        float[] src = new float[h * w];
        for (int c = 0; c < planes; c++) {
            int base = off + c * h * w;
            System.arraycopy(x, base, src, 0, h * w);
            for (int y = 0; y < h; y++) {
                int iy = y + sy;
                int row = base + y * w;
                if (iy < 0 || iy >= h) {
                    Arrays.fill(x, row, row + w, 0f);
                    continue;
                }
                int x0 = Math.max(0, -sx);          // first output column with a source pixel
                int x1 = Math.min(w, w - sx);       // one past the last
                Arrays.fill(x, row, row + Math.min(x0, w), 0f);
                if (x1 > x0) {
                    System.arraycopy(src, iy * w + x0 + sx, x, row + x0, x1 - x0);
                }
                if (x1 < w) {
                    Arrays.fill(x, row + Math.max(x1, 0), row + w, 0f);
                }
            }
        }
    }
}
