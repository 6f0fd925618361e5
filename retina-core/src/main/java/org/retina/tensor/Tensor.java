package org.retina.tensor;

import java.util.Arrays;

/**
 * A contiguous float32 array with a shape, NCHW for images: data and shape, not a maths API.
 * The data array is exposed on purpose: kernels work on it directly with offsets.
 */
public final class Tensor {
    private final Shape shape;
    private final float[] data;

    private Tensor(Shape shape, float[] data) {
        this.shape = shape;
        this.data = data;
    }

    /** A new tensor of the given shape, filled with zeros. */
    public static Tensor zeros(Shape shape) {
        return new Tensor(shape, new float[shape.size()]);
    }

    /** A new tensor shaped {@code dims}, filled with zeros. */
    public static Tensor zeros(int... dims) {
        return zeros(Shape.of(dims));
    }

    /** Wraps {@code data} (not copied) as a tensor of the given shape. */
    public static Tensor wrap(float[] data, Shape shape) {
        if (data.length != shape.size()) {
            throw new IllegalArgumentException("Tensor: " + data.length + " values cannot have shape " + shape
                    + ", which holds " + shape.size());
        }
        return new Tensor(shape, data);
    }

    /** A tensor holding a copy of {@code values}, shaped {@code dims}. */
    public static Tensor of(float[] values, int... dims) {
        return wrap(values.clone(), Shape.of(dims));
    }

    /** A new tensor of the given shape with every element set to {@code value}. */
    public static Tensor full(Shape shape, float value) {
        float[] d = new float[shape.size()];
        Arrays.fill(d, value);
        return new Tensor(shape, d);
    }

    /** The dimensions of this tensor, NCHW for a batch of images. */
    public Shape shape() {
        return shape;
    }

    /** The dimensions as a fresh array, safe to modify. */
    public int[] dims() {
        return shape.dims();
    }

    /** The size of dimension {@code i}; a negative {@code i} counts from the last dimension. */
    public int dim(int i) {
        return shape.dim(i);
    }

    /** The number of dimensions: 4 for (N, C, H, W). */
    public int rank() {
        return shape.rank();
    }

    /** The number of elements, the length of the backing array. */
    public int size() {
        return data.length;
    }

    /** The backing array, shared, row-major. */
    public float[] data() {
        return data;
    }

    /** The same data seen with another shape of the same size. */
    public Tensor reshape(Shape newShape) {
        if (newShape.size() != data.length) {
            throw new IllegalArgumentException("Tensor.reshape: cannot view " + shape + " (" + data.length
                    + " values) as " + newShape + " (" + newShape.size() + " values)");
        }
        return new Tensor(newShape, data);
    }

    /** The same data seen with the shape {@code dims}, which must hold the same number of elements. */
    public Tensor reshape(int... dims) {
        return reshape(Shape.of(dims));
    }

    /** A deep copy: same shape, its own data array. */
    public Tensor copy() {
        return new Tensor(shape, data.clone());
    }

    /** The element at a full row-major index, one coordinate per dimension. */
    public float get(int... index) {
        return data[offset(index)];
    }

    /** Writes {@code value} at a full row-major index, one coordinate per dimension. */
    public void set(float value, int... index) {
        data[offset(index)] = value;
    }

    private int offset(int[] index) {
        int[] dims = shape.dims();
        if (index.length != dims.length) {
            throw new IllegalArgumentException("Tensor " + shape + ": index " + Arrays.toString(index) + " has "
                    + index.length + " dimensions, expected " + dims.length);
        }
        int off = 0;
        for (int i = 0; i < dims.length; i++) {
            if (index[i] < 0 || index[i] >= dims[i]) {
                throw new IndexOutOfBoundsException("Tensor " + shape + ": index " + Arrays.toString(index)
                        + " is out of range in dimension " + i);
            }
            off = off * dims[i] + index[i];
        }
        return off;
    }

    /** Elements per sample: the size of everything but the first dimension. */
    public int sampleSize() {
        return shape.rank() == 0 ? 1 : data.length / Math.max(1, shape.dim(0));
    }

    /** Samples {@code [from, to)} of the first dimension, copied. */
    public Tensor slice(int from, int to) {
        int n = shape.dim(0);
        if (from < 0 || to > n || from > to) {
            throw new IndexOutOfBoundsException("Tensor " + shape + ": slice [" + from + ", " + to
                    + ") is outside [0, " + n + ")");
        }
        int per = sampleSize();
        int[] d = shape.dims();
        d[0] = to - from;
        return new Tensor(Shape.of(d), Arrays.copyOfRange(data, from * per, to * per));
    }

    /** Sets every element to {@code value}, in place. */
    public void fill(float value) {
        Arrays.fill(data, value);
    }

    /** Copies {@code other}'s values into this tensor, which must have the same shape. */
    public void copyFrom(Tensor other) {
        if (!other.shape.equals(shape)) {
            throw new IllegalArgumentException("Tensor.copyFrom: a tensor of shape " + other.shape + " into one of"
                    + " shape " + shape + "; the shapes must be equal (reshape first to copy the values in order)");
        }
        System.arraycopy(other.data, 0, data, 0, data.length);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(shape).append(' ');
        int n = Math.min(data.length, 8);
        sb.append('[');
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(data[i]);
        }
        if (data.length > n) {
            sb.append(", ...");
        }
        return sb.append(']').toString();
    }
}
