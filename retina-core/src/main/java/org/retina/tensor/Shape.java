package org.retina.tensor;

import java.util.Arrays;

/** An immutable list of dimensions, printed the PyTorch way: {@code (3, 32, 32)}. */
public record Shape(int[] dims) {

    /** Copies {@code dims} and rejects negative sizes and shapes over {@link Integer#MAX_VALUE} elements. */
    public Shape {
        dims = dims.clone();
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0) {
                throw new IllegalArgumentException(
                        "Shape " + Arrays.toString(dims) + ": dimension " + i + " is " + dims[i]
                                + ", expected a size >= 0");
            }
        }
        long size = 1;
        for (int d : dims) {
            size *= d;
            if (size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("Shape " + Arrays.toString(dims) + " holds more than "
                        + Integer.MAX_VALUE + " elements, the most one tensor can hold");
            }
        }
    }

    /** A shape with the given dimensions. */
    public static Shape of(int... dims) {
        return new Shape(dims);
    }

    /** The dimensions as a fresh array, safe to modify. */
    @Override
    public int[] dims() {
        return dims.clone();
    }

    /** The number of dimensions. */
    public int rank() {
        return dims.length;
    }

    /** The size of dimension {@code i}; a negative {@code i} counts from the end, as in PyTorch. */
    public int dim(int i) {
        return dims[i < 0 ? dims.length + i : i];
    }

    /** Number of elements. */
    public int size() {
        int size = 1;
        for (int d : dims) {
            size *= d;
        }
        return size;
    }

    /** This shape with a batch dimension in front: {@code (3, 32, 32)} becomes {@code (n, 3, 32, 32)}. */
    public Shape withBatch(int n) {
        int[] d = new int[dims.length + 1];
        d[0] = n;
        System.arraycopy(dims, 0, d, 1, dims.length);
        return new Shape(d);
    }

    /** This shape without its first dimension. */
    public Shape dropFirst() {
        if (dims.length == 0) {
            throw new IllegalStateException("Shape (): has no first dimension to drop");
        }
        return new Shape(Arrays.copyOfRange(dims, 1, dims.length));
    }

    /** The shape of one sample when this is a batch shape, as a summary prints it: {@code (N, 3, 32, 32)}. */
    public String toBatchString() {
        StringBuilder sb = new StringBuilder("(N");
        for (int d : dims) {
            sb.append(", ").append(d);
        }
        return sb.append(')').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(dims[i]);
        }
        if (dims.length == 1) {
            sb.append(',');
        }
        return sb.append(')').toString();
    }
}
