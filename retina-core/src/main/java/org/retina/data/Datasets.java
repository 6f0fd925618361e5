package org.retina.data;

import java.util.List;
import java.util.Optional;
import org.retina.tensor.Shape;

/** Views over datasets (hold-out splits, subsets, normalization) and per-channel statistics; views copy no pixels. */
public final class Datasets {
    private Datasets() {
    }

    /** A training set and the validation set held out from it. */
    public record Split(Dataset train, Dataset validation) {
    }

    /** Per-channel mean and standard deviation of [0, 1] pixels, ready for {@link Dataset#normalized}. */
    public record Stats(float[] mean, float[] std) {
        /** Copies the arrays, so the statistics cannot change afterwards. */
        public Stats {
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
    }

    /**
     * Holds out the LAST {@code count} samples as the validation set and keeps the others for training,
     * as Keras {@code validation_split} does (it takes the tail before any shuffling).
     */
    public static Split holdOut(Dataset ds, int count) {
        if (count < 0 || count >= ds.size()) {
            throw new IllegalArgumentException("holdOut: " + count + " validation samples out of " + ds.size()
                    + ", expected 0.." + (ds.size() - 1) + " so that training keeps at least one");
        }
        int keep = ds.size() - count;
        return new Split(range(ds, 0, keep), range(ds, keep, count));
    }

    /**
     * Holds out the last {@code fraction} of the samples, rounded down as Keras does
     * ({@code split_at = int(n * (1 - fraction))} keeps the first {@code split_at} for training).
     */
    public static Split holdOutFraction(Dataset ds, double fraction) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException("holdOutFraction: fraction " + fraction + ", expected 0 <= f < 1");
        }
        int keep = (int) (ds.size() * (1 - fraction));
        if (keep < 1) {
            throw new IllegalArgumentException("holdOutFraction: fraction " + fraction + " of " + ds.size()
                    + " samples leaves no training sample");
        }
        return holdOut(ds, ds.size() - keep);
    }

    /** The samples at {@code indices}, in that order (repeats allowed); the indices are copied. */
    public static Dataset subset(Dataset ds, int[] indices) {
        int[] idx = indices.clone();
        for (int k = 0; k < idx.length; k++) {
            if (idx[k] < 0 || idx[k] >= ds.size()) {
                throw new IndexOutOfBoundsException("subset: index " + idx[k] + " at position " + k
                        + " is outside 0.." + (ds.size() - 1));
            }
        }
        return new Subset(ds, idx);
    }

    /** The first {@code n} samples (all of them when the dataset is smaller). */
    public static Dataset take(Dataset ds, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("take: n is " + n + ", expected >= 0");
        }
        return range(ds, 0, Math.min(n, ds.size()));
    }

    /** Samples {@code [from, from + count)}. */
    public static Dataset range(Dataset ds, int from, int count) {
        if (from < 0 || count < 0 || from > ds.size() - count) {
            throw new IndexOutOfBoundsException("range: [" + from + ", " + ((long) from + count)
                    + ") is outside [0, " + ds.size() + ")");
        }
        if (ds instanceof Range r) {
            return new Range(r.base, r.from + from, count);
        }
        return new Range(ds, from, count);
    }

    /** Mean and (population) standard deviation of every channel over all pixels, scaled to [0, 1]. */
    public static Stats channelStats(Dataset ds) {
        Shape shape = ds.sampleShape();
        int channels = shape.dim(0);
        int plane = shape.size() / channels;
        double[] sum = new double[channels];
        double[] sumSq = new double[channels];
        float[] x = new float[shape.size()];
        for (int i = 0; i < ds.size(); i++) {
            ds.copyPixels(i, x, 0);
            for (int c = 0; c < channels; c++) {
                double s = 0;
                double q = 0;
                for (int k = c * plane, end = k + plane; k < end; k++) {
                    s += x[k];
                    q += (double) x[k] * x[k];
                }
                sum[c] += s;
                sumSq[c] += q;
            }
        }
        double n = (double) ds.size() * plane;
        float[] mean = new float[channels];
        float[] std = new float[channels];
        for (int c = 0; c < channels; c++) {
            double m = n == 0 ? 0 : sum[c] / n;
            mean[c] = (float) m;
            std[c] = (float) Math.sqrt(Math.max(0, n == 0 ? 0 : sumSq[c] / n - m * m));
        }
        return new Stats(mean, std);
    }

    /** Counts of each label, indexed by class. */
    public static int[] labelCounts(Dataset ds) {
        int[] counts = new int[ds.numClasses()];
        for (int i = 0; i < ds.size(); i++) {
            counts[ds.label(i)]++;
        }
        return counts;
    }

    /**
     * A view of {@code ds} with every image zero-padded by {@code top} rows above and below and {@code left}
     * columns on each side (MNIST's 28x28 seen as LeNet-5's 32x32); normalization applies after padding.
     */
    public static Dataset padded(Dataset ds, int top, int left) {
        if (top < 0 || left < 0 || ds.sampleShape().rank() != 3) {
            throw new IllegalArgumentException("padded: padding " + top + "x" + left + " of " + ds.sampleShape()
                    + ", expected sizes >= 0 on (C, H, W) images");
        }
        return new Padded(ds, top, left);
    }

    static Dataset withNormalization(Dataset ds, Normalization n) {
        int channels = ds.sampleShape().dim(0);
        if (n.channels() != channels) {
            throw new IllegalArgumentException("normalized: " + n.channels() + " mean/std values for a dataset of "
                    + channels + " channels " + ds.sampleShape() + ", expected one per channel");
        }
        Dataset base = ds instanceof Normalized v ? v.base : ds;
        return new Normalized(base, n);
    }

    /** A base dataset seen through another normalization. */
    private record Normalized(Dataset base, Normalization norm) implements Dataset {
        public int size() { return base.size(); }
        public Shape sampleShape() { return base.sampleShape(); }
        public List<String> classNames() { return base.classNames(); }
        public int label(int i) { return base.label(i); }
        public void copyPixels(int i, float[] dst, int off) { base.copyPixels(i, dst, off); }
        public Optional<Normalization> normalization() { return Optional.of(norm); }
    }

    /** A contiguous run of samples of a base dataset. */
    private record Range(Dataset base, int from, int count) implements Dataset {
        public int size() { return count; }
        public Shape sampleShape() { return base.sampleShape(); }
        public List<String> classNames() { return base.classNames(); }
        public int label(int i) { return base.label(map(i)); }
        public void copyPixels(int i, float[] dst, int off) { base.copyPixels(map(i), dst, off); }
        public Optional<Normalization> normalization() { return base.normalization(); }

        private int map(int i) {
            if (i < 0 || i >= count) {
                throw new IndexOutOfBoundsException("sample " + i + " is outside 0.." + (count - 1));
            }
            return from + i;
        }
    }

    /** Chosen samples of a base dataset. */
    private record Subset(Dataset base, int[] indices) implements Dataset {
        public int size() { return indices.length; }
        public Shape sampleShape() { return base.sampleShape(); }
        public List<String> classNames() { return base.classNames(); }
        public int label(int i) { return base.label(indices[i]); }
        public void copyPixels(int i, float[] dst, int off) { base.copyPixels(indices[i], dst, off); }
        public Optional<Normalization> normalization() { return base.normalization(); }
    }

    /** A base dataset with a zero border around every image. */
    private record Padded(Dataset base, int top, int left) implements Dataset {
        public int size() { return base.size(); }
        public List<String> classNames() { return base.classNames(); }
        public int label(int i) { return base.label(i); }
        public Optional<Normalization> normalization() { return base.normalization(); }

        public Shape sampleShape() {
            Shape s = base.sampleShape();
            return Shape.of(s.dim(0), s.dim(1) + 2 * top, s.dim(2) + 2 * left);
        }

        public void copyPixels(int i, float[] dst, int off) {
            Shape s = base.sampleShape();
            int c = s.dim(0), h = s.dim(1), w = s.dim(2), pw = w + 2 * left, ph = h + 2 * top;
            float[] src = new float[s.size()];
            base.copyPixels(i, src, 0);
            java.util.Arrays.fill(dst, off, off + c * ph * pw, 0f);
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < h; y++) {
                    System.arraycopy(src, (ch * h + y) * w, dst, off + (ch * ph + y + top) * pw + left, w);
                }
            }
        }
    }
}
