package org.retina.data;

import java.util.List;
import org.retina.tensor.Shape;

/**
 * An in-memory dataset of uint8 images stored compactly ({@code N x C x H x W} bytes, channel-major per
 * sample) with int labels; pixels become floats only when a sample is copied out.
 */
public final class ByteDataset implements Dataset {
    private static final float[] SCALE = new float[256];

    static {
        for (int v = 0; v < 256; v++) {
            SCALE[v] = v / 255f; // division, as numpy's x.astype('float32') / 255
        }
    }

    private final String name;
    private final Shape sampleShape;
    private final int sampleSize;
    private final byte[] pixels;
    private final int[] labels;
    private final List<String> classNames;

    /**
     * Wraps {@code pixels} (not copied) holding {@code labels.length} samples of {@code sampleShape}
     * {@code (C, H, W)}; {@code name} appears in error messages (a file or a dataset name).
     */
    public ByteDataset(String name, Shape sampleShape, byte[] pixels, int[] labels, List<String> classNames) {
        if (sampleShape.rank() != 3 || sampleShape.size() == 0) {
            throw new IllegalArgumentException(name + ": sample shape " + sampleShape
                    + ", expected (C, H, W) with every dimension >= 1");
        }
        int per = sampleShape.size();
        if ((long) labels.length * per != pixels.length) {
            throw new IllegalArgumentException(name + ": " + pixels.length + " pixel bytes for " + labels.length
                    + " samples of " + sampleShape + ", expected " + (long) labels.length * per);
        }
        if (classNames.isEmpty()) {
            throw new IllegalArgumentException(name + ": no class names, expected at least one");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classNames.size()) {
                throw new IllegalArgumentException(name + ": sample " + i + " has label " + labels[i]
                        + ", expected 0.." + (classNames.size() - 1));
            }
        }
        this.name = name;
        this.sampleShape = sampleShape;
        this.sampleSize = per;
        this.pixels = pixels;
        this.labels = labels;
        this.classNames = List.copyOf(classNames);
    }

    /** The float a pixel byte {@code v} (0..255) becomes: {@code v / 255f}, as every byte dataset scales it. */
    public static float scale(int v) {
        return SCALE[v];
    }

    /** The name given at construction (a file or a dataset name). */
    public String name() {
        return name;
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public Shape sampleShape() {
        return sampleShape;
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public int label(int i) {
        return labels[i];
    }

    @Override
    public int[] labels() {
        return labels.clone();
    }

    @Override
    public void copyPixels(int i, float[] dst, int off) {
        if (i < 0 || i >= labels.length) {
            throw new IndexOutOfBoundsException(name + ": sample " + i + " is outside 0.." + (labels.length - 1));
        }
        int src = i * sampleSize;
        for (int k = 0; k < sampleSize; k++) {
            dst[off + k] = SCALE[pixels[src + k] & 0xFF];
        }
    }

    /** The raw byte of element {@code k} (in {@code 0 .. C*H*W - 1}) of sample {@code i}, 0..255. */
    public int pixel(int i, int k) {
        return pixels[i * sampleSize + k] & 0xFF;
    }

    @Override
    public String toString() {
        return "ByteDataset(" + name + ", " + labels.length + " x " + sampleShape + ", " + classNames.size()
                + " classes)";
    }
}
