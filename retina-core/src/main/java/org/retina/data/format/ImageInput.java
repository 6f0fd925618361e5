package org.retina.data.format;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.retina.data.ByteDataset;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * Image files made into a batch for a model, as its training saw its data: read at the dataset's size (a model
 * trained on padded images reads them unpadded, then pads), scaled to [0, 1] and normalized with the statistics
 * its model file keeps. {@code retina predict} and batch scoring on Spark both read images this way, so that they
 * give the same outputs for the same files.
 */
public final class ImageInput {
    private ImageInput() {
    }

    /** An encoded image (the bytes of a PNG, JPEG or BMP file) and the name its errors use: a path. */
    public record Encoded(String name, byte[] bytes) {
    }

    /**
     * The images as a batch {@code (N, ...in)} for a model whose input is {@code in} {@code (C, H, W)}, with the
     * model file's {@code metadata}. Without {@code resize}, an image of another size or colour model is refused.
     */
    public static Tensor read(List<Encoded> images, Shape in, Map<String, Object> metadata, boolean resize)
            throws IOException {
        if (in.rank() != 3 || (in.dim(0) != 1 && in.dim(0) != 3)) {
            throw new IllegalArgumentException("the model's input is " + in + ": images are read into 1 or 3"
                    + " channels");
        }
        int ch = in.dim(0), h = in.dim(1), w = in.dim(2);
        int dh = h, dw = w;
        Object ds = metadata.get("datasetShape");
        if (ds instanceof List<?> l && l.size() == 3) {
            dh = ((Number) l.get(1)).intValue();
            dw = ((Number) l.get(2)).intValue();
        }
        ImageFolder.Options opt = ch == 1 ? ImageFolder.Options.gray(dh, dw) : ImageFolder.Options.rgb(dh, dw);
        ImageFolder.Info want = new ImageFolder.Info(dw, dh, ch == 1);
        byte[] bytes = new byte[ch * dh * dw];
        Tensor x = Tensor.zeros(in.withBatch(images.size()));
        float[] mean = floats(metadata.get("normalizeMean"));
        float[] std = floats(metadata.get("normalizeStd"));
        int top = (h - dh) / 2, left = (w - dw) / 2;
        for (int c = 0; c < ch; c++) {
            // a padded border is black before normalization, as in training
            float border = mean == null ? 0f : -mean[c] / std[c];
            for (int i = 0; i < images.size(); i++) {
                Arrays.fill(x.data(), (i * ch + c) * h * w, (i * ch + c + 1) * h * w, border);
            }
        }
        for (int i = 0; i < images.size(); i++) {
            Encoded e = images.get(i);
            ImageFolder.Info got = ImageFolder.readInto(e.name(), e.bytes(), opt, bytes, 0);
            if (!resize && !got.equals(want)) {
                throw new IllegalArgumentException(e.name() + " is a " + got + " image; the model reads " + want
                        + " images: pass --resize to resize and convert it, or give an image of that size");
            }
            for (int c = 0; c < ch; c++) {
                float mu = mean == null ? 0f : mean[c];
                float sd = std == null ? 1f : std[c];
                for (int y = 0; y < dh; y++) {
                    for (int xx = 0; xx < dw; xx++) {
                        float v = ByteDataset.scale(bytes[(c * dh + y) * dw + xx] & 0xFF);
                        x.data()[((i * ch + c) * h + y + top) * w + xx + left] = (v - mu) / sd;
                    }
                }
            }
        }
        return x;
    }

    /** A list of numbers from a model file's metadata as floats, or null when absent. */
    public static float[] floats(Object o) {
        if (!(o instanceof List<?> l)) {
            return null;
        }
        float[] f = new float[l.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = ((Number) l.get(i)).floatValue();
        }
        return f;
    }
}
