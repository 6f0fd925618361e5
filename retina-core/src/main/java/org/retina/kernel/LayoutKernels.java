package org.retina.kernel;

/**
 * Copies that move values without arithmetic: padding of {@code (planes, h, w)} images (a constant, the
 * reflection without repeating the edge, or the edge value repeated) and its backward, and the channel shuffle
 * of ShuffleNet.
 */
public final class LayoutKernels {
    /** How a padded pixel takes its value. */
    public enum PadMode { CONSTANT, REFLECT, EDGE }

    private LayoutKernels() {
    }

    /** The source index along an axis of {@code size} for the padded position {@code p} (may be outside). */
    private static int source(int p, int size, PadMode mode) {
        if (p >= 0 && p < size) {
            return p;
        }
        return switch (mode) {
            case CONSTANT -> -1;
            case EDGE -> p < 0 ? 0 : size - 1;
            case REFLECT -> p < 0 ? -p : 2 * (size - 1) - p;
        };
    }

    /**
     * Pads each of {@code planes} {@code h x w} planes by {@code top, bottom, left, right} into
     * {@code (h + top + bottom) x (w + left + right)} planes; reflection needs every pad below the size.
     */
    public static void pad(float[] x, float[] y, int planes, int h, int w, int top, int bottom, int left, int right,
                           PadMode mode, float value) {
        int oh = h + top + bottom;
        int ow = w + left + right;
        Engine.current().parallelFor(planes, (chunk, from, to) -> {
            for (int p = from; p < to; p++) {
                int in = p * h * w;
                int out = p * oh * ow;
                for (int r = 0; r < oh; r++) {
                    int sr = source(r - top, h, mode);
                    for (int c = 0; c < ow; c++) {
                        int sc = source(c - left, w, mode);
                        y[out + r * ow + c] = sr < 0 || sc < 0 ? value : x[in + sr * w + sc];
                    }
                }
            }
        });
    }

    /** Backward of {@link #pad}: each output gradient is added to the input pixel it was copied from. */
    public static void padBackward(float[] gy, float[] gx, int planes, int h, int w, int top, int bottom, int left,
                                   int right, PadMode mode) {
        int oh = h + top + bottom;
        int ow = w + left + right;
        Engine.current().parallelFor(planes, (chunk, from, to) -> {
            for (int p = from; p < to; p++) {
                int in = p * h * w;
                int out = p * oh * ow;
                java.util.Arrays.fill(gx, in, in + h * w, 0f);
                for (int r = 0; r < oh; r++) {
                    int sr = source(r - top, h, mode);
                    for (int c = 0; c < ow; c++) {
                        int sc = source(c - left, w, mode);
                        if (sr >= 0 && sc >= 0) {
                            gx[in + sr * w + sc] += gy[out + r * ow + c];
                        }
                    }
                }
            }
        });
    }

    /**
     * Channel shuffle of {@code n} samples of {@code channels} planes of {@code inner} values: the channels,
     * seen as a {@code (groups, channels/groups)} matrix, are transposed, so output channel
     * {@code i * groups + g} is input channel {@code g * (channels/groups) + i}. Shuffling with
     * {@code channels/groups} groups undoes it.
     */
    public static void channelShuffle(float[] x, float[] y, int n, int channels, int inner, int groups) {
        int per = channels / groups;
        Engine.current().parallelFor(n * channels, (chunk, from, to) -> {
            for (int b = from; b < to; b++) {
                int s = b / channels;
                int oc = b % channels;
                int ic = (oc % groups) * per + oc / groups;
                System.arraycopy(x, (s * channels + ic) * inner, y, b * inner, inner);
            }
        });
    }

    /**
     * Copies a slice along one axis: {@code x} holds {@code outer} blocks of {@code dim} rows of {@code inner}
     * values; {@code y} gets rows {@code [start, start + count)} of each block.
     */
    public static void slice(float[] x, float[] y, int outer, int dim, int start, int count, int inner) {
        int row = count * inner;
        Engine.current().parallelFor(outer, (chunk, from, to) -> {
            for (int o = from; o < to; o++) {
                System.arraycopy(x, (o * dim + start) * inner, y, o * row, row);
            }
        });
    }

    /** The gradient of {@link #slice}: {@code gy} into rows {@code [start, start + count)} of {@code gx}. */
    public static void sliceBackward(float[] gy, float[] gx, int outer, int dim, int start, int count, int inner) {
        int row = count * inner;
        Engine.current().parallelFor(outer, (chunk, from, to) -> {
            for (int o = from; o < to; o++) {
                System.arraycopy(gy, o * row, gx, (o * dim + start) * inner, row);
            }
        });
    }
}
