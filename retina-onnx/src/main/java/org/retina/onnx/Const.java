package org.retina.onnx;

import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * A value known at import time (an initializer, a Constant, a folded subgraph): its dims, its elements as
 * doubles (float32 and int64 values are exact in a double up to 2^53) and its ONNX element type.
 */
record Const(long[] dims, double[] data, int dataType) implements Value {
    static final int FLOAT = 1;
    static final int INT64 = 7;

    Const {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("constant of dims " + Arrays.toString(dims) + " holds " + data.length
                    + " values, expected " + n);
        }
    }

    /** The most elements a computed constant may have: 2^28, above VGG's 103-million-weight dense layer. */
    static final long MAX_ELEMENTS = 1L << 28;

    /** Bytes an import may still spend on computed constants; absent outside an import. */
    private static final ThreadLocal<long[]> BUDGET = new ThreadLocal<>();

    /** Runs an import with a budget of half the Java heap for the constants it computes. */
    static <T> T withBudget(java.util.function.Supplier<T> importer) {
        long[] previous = BUDGET.get();
        BUDGET.set(new long[] {Runtime.getRuntime().maxMemory() / 2});
        try {
            return importer.get();
        } finally {
            BUDGET.set(previous);
        }
    }

    /**
     * A zeroed array for a constant of {@code dims} computed at import, refused (naming {@code what}) when a dim is
     * negative, the constant is larger than {@link #MAX_ELEMENTS}, or the import's constants would take more than
     * its budget: a hostile ConstantOfShape, broadcast or transpose must not exhaust memory.
     */
    static double[] allocate(String what, long[] dims) {
        long n = 1;
        try {
            for (long d : dims) {
                if (d < 0) {
                    throw new OnnxException(what + ": dims " + Arrays.toString(dims) + " hold the negative " + d
                            + ", expected sizes >= 0");
                }
                n = Math.multiplyExact(n, d);
            }
        } catch (ArithmeticException e) {
            n = Long.MAX_VALUE;
        }
        if (n > MAX_ELEMENTS) {
            throw new OnnxException(what + ": a constant of dims " + Arrays.toString(dims) + " would hold " + n
                    + " values, more than the " + MAX_ELEMENTS + " an import computes");
        }
        long[] budget = BUDGET.get();
        if (budget != null) {
            budget[0] -= n * Double.BYTES;
            if (budget[0] < 0) {
                throw new OnnxException(what + ": a constant of dims " + Arrays.toString(dims) + " takes the"
                        + " constants computed at import past half the Java heap ("
                        + Runtime.getRuntime().maxMemory() / 2 / (1 << 20) + " MiB)");
            }
        }
        return new double[(int) n];
    }

    static Const scalar(double v, int dataType) {
        return new Const(new long[0], new double[] {v}, dataType);
    }

    static Const vector(long[] values) {
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = values[i];
        }
        return new Const(new long[] {values.length}, d, INT64);
    }

    int rank() {
        return dims.length;
    }

    int size() {
        return data.length;
    }

    /** The elements as whole numbers (shapes, axes, pads), checked. */
    long[] longs(String what) {
        long[] r = new long[data.length];
        for (int i = 0; i < r.length; i++) {
            if (data[i] != Math.rint(data[i])) {
                throw new IllegalArgumentException(what + " " + Arrays.toString(data) + " holds a fraction, expected"
                        + " whole numbers");
            }
            r[i] = (long) data[i];
        }
        return r;
    }

    /** The single element of a scalar or one-element tensor. */
    double scalar(String what) {
        if (data.length != 1) {
            throw new IllegalArgumentException(what + " has " + data.length + " values, expected one");
        }
        return data[0];
    }

    /** The elements as a float32 tensor of the given shape (which must hold as many). */
    Tensor tensor(Shape shape) {
        float[] f = new float[data.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) data[i];
        }
        return Tensor.wrap(f, shape);
    }

    Const reshape(long[] newDims) {
        return new Const(newDims, data, dataType);
    }

    /** Numpy-style broadcasting of {@code op} over {@code a} and {@code b}; the type of {@code a}. */
    static Const broadcast(Const a, Const b, DoubleBinaryOperator op) {
        int rank = Math.max(a.rank(), b.rank());
        long[] da = pad(a.dims, rank);
        long[] db = pad(b.dims, rank);
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            if (da[i] != db[i] && da[i] != 1 && db[i] != 1) {
                throw new IllegalArgumentException("dims " + Arrays.toString(a.dims) + " and "
                        + Arrays.toString(b.dims) + " do not broadcast");
            }
            out[i] = Math.max(da[i], db[i]);
        }
        double[] r = allocate("broadcast of " + Arrays.toString(a.dims) + " and " + Arrays.toString(b.dims), out);
        int n = r.length;
        long[] idx = new long[rank];
        for (int k = 0; k < n; k++) {
            r[k] = op.applyAsDouble(a.data[offset(idx, da)], b.data[offset(idx, db)]);
            for (int i = rank - 1; i >= 0; i--) {
                if (++idx[i] < out[i]) {
                    break;
                }
                idx[i] = 0;
            }
        }
        return new Const(out, r, a.dataType);
    }

    private static long[] pad(long[] dims, int rank) {
        long[] p = new long[rank];
        Arrays.fill(p, 1);
        System.arraycopy(dims, 0, p, rank - dims.length, dims.length);
        return p;
    }

    private static int offset(long[] idx, long[] dims) {
        long off = 0;
        for (int i = 0; i < dims.length; i++) {
            off = off * dims[i] + (dims[i] == 1 ? 0 : idx[i]);
        }
        return (int) off;
    }

    /** The axes permuted: output axis {@code i} is input axis {@code perm[i]}. */
    Const transpose(int[] perm) {
        int rank = rank();
        long[] out = new long[rank];
        long[] stride = new long[rank];
        long s = 1;
        for (int i = rank - 1; i >= 0; i--) {
            stride[i] = s;
            s *= dims[i];
        }
        for (int i = 0; i < rank; i++) {
            out[i] = dims[perm[i]];
        }
        double[] r = allocate("Transpose", out);
        long[] idx = new long[rank];
        for (int k = 0; k < r.length; k++) {
            long off = 0;
            for (int i = 0; i < rank; i++) {
                off += idx[i] * stride[perm[i]];
            }
            r[k] = data[(int) off];
            for (int i = rank - 1; i >= 0; i--) {
                if (++idx[i] < out[i]) {
                    break;
                }
                idx[i] = 0;
            }
        }
        return new Const(out, r, dataType);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Const c && Arrays.equals(dims, c.dims) && Arrays.equals(data, c.data)
                && dataType == c.dataType;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Const" + Arrays.toString(dims) + (data.length <= 8 ? Arrays.toString(data) : "");
    }
}
