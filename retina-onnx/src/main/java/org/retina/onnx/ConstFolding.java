package org.retina.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import org.retina.onnx.proto.Onnx.NodeProto;

/**
 * Evaluates, at import, ops whose inputs are all constants: the shape arithmetic exporters emit (Gather,
 * Unsqueeze, Concat, Cast, ...), transposed or reshaped weights, and elementwise arithmetic.
 */
final class ConstFolding {
    private ConstFolding() {
    }

    /** The folded value, or null when the op is not one Retina folds. */
    static Const fold(OnnxImporter ctx, NodeProto n, Attributes a) {
        Const x = ctx.constant(n, 0);
        return switch (n.getOpType()) {
            case "Add", "Sum" -> arithmetic(ctx, n, a, Double::sum);
            case "Sub" -> arithmetic(ctx, n, a, (p, q) -> p - q);
            case "Mul" -> arithmetic(ctx, n, a, (p, q) -> p * q);
            case "Div" -> arithmetic(ctx, n, a, x.dataType() == Const.FLOAT || x.dataType() == 11
                    ? (p, q) -> p / q : (p, q) -> (double) ((long) p / (long) q));
            case "Neg" -> new Const(x.dims(), Arrays.stream(x.data()).map(v -> -v).toArray(), x.dataType());
            case "Cast" -> cast(x, (int) a.integer("to", Const.FLOAT));
            case "Reshape" -> x.reshape(ShapeOps.resolve(n, ctx.constant(n, 1).longs("shape"), x.dims(),
                    a.integer("allowzero", 0) != 0));
            case "Flatten" -> {
                int axis = ShapeOps.axis((int) a.integer("axis", 1), x.rank());
                long outer = Arrays.stream(x.dims(), 0, axis).reduce(1, (p, q) -> p * q);
                yield x.reshape(new long[] {outer, x.size() / Math.max(1, outer)});
            }
            case "Transpose" -> {
                int[] perm = a.ints("perm", null);
                if (perm == null) {
                    perm = new int[x.rank()];
                    for (int i = 0; i < perm.length; i++) {
                        perm[i] = perm.length - 1 - i;
                    }
                }
                yield x.transpose(perm);
            }
            case "Unsqueeze", "Squeeze" -> x.reshape(squeeze(n.getOpType().equals("Unsqueeze"), x.dims(),
                    ctx.opset() >= 13 ? (ctx.hasInput(n, 1) ? ctx.constant(n, 1).longs("axes") : null)
                            : a.ints("axes"), false));
            case "Slice" -> slice(ctx, n, a, x);
            case "Gather" -> gather(x, ctx.constant(n, 1), ShapeOps.axis((int) a.integer("axis", 0), x.rank()));
            case "Concat" -> {
                List<Const> parts = new ArrayList<>();
                for (int i = 0; i < n.getInputCount(); i++) {
                    parts.add(ctx.constant(n, i));
                }
                yield concat(parts, ShapeOps.axis((int) a.integer("axis", 0), x.rank()));
            }
            default -> null;
        };
    }

    private static Const arithmetic(OnnxImporter ctx, NodeProto n, Attributes a, DoubleBinaryOperator op) {
        if (ctx.opset() < 7) {
            a.integer("broadcast", 0);
            if (a.has("axis")) {
                throw OnnxException.attribute(n, "axis", "legacy broadcasting along an axis is not folded");
            }
        }
        Const r = ctx.constant(n, 0);
        for (int i = 1; i < n.getInputCount(); i++) {
            r = Const.broadcast(r, ctx.constant(n, i), op);
        }
        return r.dataType() == Const.FLOAT ? cast(r, Const.FLOAT) : r;
    }

    private static Const cast(Const x, int to) {
        double[] d = x.data().clone();
        for (int i = 0; i < d.length; i++) {
            d[i] = switch (to) {
                case Const.FLOAT -> (float) d[i];
                case 11 -> d[i];
                case 9 -> d[i] != 0 ? 1 : 0;
                default -> (double) (long) d[i];
            };
        }
        return new Const(x.dims(), d, to);
    }

    /**
     * Dims with size-1 axes inserted (unsqueeze) or removed (squeeze; all of them when {@code axes} is null,
     * except the batch when {@code keepBatch}).
     */
    static long[] squeeze(boolean unsqueeze, long[] dims, long[] axes, boolean keepBatch) {
        List<Long> out = new ArrayList<>();
        for (long d : dims) {
            out.add(d);
        }
        if (unsqueeze) {
            int rank = dims.length + axes.length;
            long[] sorted = Arrays.stream(axes).map(x -> x < 0 ? x + rank : x).sorted().toArray();
            for (long ax : sorted) {
                if (keepBatch && ax == 0) {
                    throw new IllegalArgumentException("unsqueezing axis 0 would put a dim before the batch");
                }
                out.add((int) ax, 1L);
            }
        } else {
            boolean[] drop = new boolean[dims.length];
            for (int i = 0; i < dims.length; i++) {
                drop[i] = axes == null && dims[i] == 1 && !(keepBatch && i == 0);
            }
            if (axes != null) {
                for (long ax : axes) {
                    int i = (int) (ax < 0 ? ax + dims.length : ax);
                    if (dims[i] != 1 || (keepBatch && i == 0)) {
                        throw new IllegalArgumentException("cannot squeeze axis " + ax + " of "
                                + Arrays.toString(dims));
                    }
                    drop[i] = true;
                }
            }
            for (int i = dims.length - 1; i >= 0; i--) {
                if (drop[i]) {
                    out.remove(i);
                }
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /** ONNX's Slice: per axis, {@code start}, {@code end} and {@code step}, clamped to the dim as numpy does. */
    private static Const slice(OnnxImporter ctx, NodeProto n, Attributes a, Const x) {
        boolean legacy = ctx.opset() < 10;
        long[] starts = legacy ? a.ints("starts") : ctx.constant(n, 1).longs("starts");
        long[] ends = legacy ? a.ints("ends") : ctx.constant(n, 2).longs("ends");
        long[] axes = legacy ? a.ints("axes") : ctx.hasInput(n, 3) ? ctx.constant(n, 3).longs("axes") : null;
        long[] steps = !legacy && ctx.hasInput(n, 4) ? ctx.constant(n, 4).longs("steps") : null;
        long[] d = x.dims();
        long[] start = new long[d.length];
        long[] step = new long[d.length];
        long[] count = d.clone();
        Arrays.fill(step, 1);
        for (int k = 0; k < starts.length; k++) {
            int ax = axes == null ? k : ShapeOps.axis((int) axes[k], d.length);
            long st = steps == null ? 1 : steps[k];
            long b = starts[k] < 0 ? starts[k] + d[ax] : starts[k];
            long e = ends[k] < 0 ? ends[k] + d[ax] : ends[k];
            if (st > 0) {
                b = Math.clamp(b, 0, d[ax]);
                e = Math.clamp(e, 0, d[ax]);
            } else if (st < 0) {
                b = Math.clamp(b, 0, d[ax] - 1);
                e = Math.clamp(e, -1, d[ax] - 1);
            } else {
                throw new IllegalArgumentException("Slice step 0 on axis " + ax);
            }
            start[ax] = b;
            step[ax] = st;
            count[ax] = Math.max(0, (e - b + st + (st > 0 ? -1 : 1)) / st);
        }
        double[] out = Const.allocate("Slice", count);
        long[] idx = new long[d.length];
        for (int k = 0; k < out.length; k++) {
            long off = 0;
            for (int i = 0; i < d.length; i++) {
                off = off * d[i] + start[i] + idx[i] * step[i];
            }
            out[k] = x.data()[(int) off];
            for (int i = d.length - 1; i >= 0; i--) {
                if (++idx[i] < count[i]) {
                    break;
                }
                idx[i] = 0;
            }
        }
        return new Const(count, out, x.dataType());
    }

    private static Const gather(Const x, Const indices, int axis) {
        long[] idx = indices.longs("Gather indices");
        long[] d = x.dims();
        long inner = Arrays.stream(d, axis + 1, d.length).reduce(1, (p, q) -> p * q);
        long outer = Arrays.stream(d, 0, axis).reduce(1, (p, q) -> p * q);
        long[] outDims = new long[d.length - 1 + indices.rank()];
        System.arraycopy(d, 0, outDims, 0, axis);
        System.arraycopy(indices.dims(), 0, outDims, axis, indices.rank());
        System.arraycopy(d, axis + 1, outDims, axis + indices.rank(), d.length - axis - 1);
        double[] out = Const.allocate("Gather", outDims);
        int k = 0;
        for (long o = 0; o < outer; o++) {
            for (long i : idx) {
                long at = i < 0 ? i + d[axis] : i;
                if (at < 0 || at >= d[axis]) {
                    throw new IllegalArgumentException("Gather index " + i + " is outside dim " + axis + " of size "
                            + d[axis]);
                }
                for (long j = 0; j < inner; j++) {
                    out[k++] = x.data()[(int) ((o * d[axis] + at) * inner + j)];
                }
            }
        }
        return new Const(outDims, out, x.dataType());
    }

    private static Const concat(List<Const> parts, int axis) {
        long[] dims = parts.getFirst().dims().clone();
        dims[axis] = parts.stream().mapToLong(p -> p.dims()[axis]).sum();
        long outer = Arrays.stream(dims, 0, axis).reduce(1, (p, q) -> p * q);
        double[] out = Const.allocate("Concat", dims);
        int k = 0;
        for (long o = 0; o < outer; o++) {
            for (Const p : parts) {
                int block = (int) (p.size() / Math.max(1, outer));
                System.arraycopy(p.data(), (int) (o * block), out, k, block);
                k += block;
            }
        }
        return new Const(dims, out, parts.getFirst().dataType());
    }
}
