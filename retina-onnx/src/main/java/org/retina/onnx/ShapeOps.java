package org.retina.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.retina.nn.ChannelShuffle;
import org.retina.nn.Concat;
import org.retina.nn.Flatten;
import org.retina.nn.Reshape;
import org.retina.nn.Slice;
import org.retina.onnx.proto.Onnx.NodeProto;
import org.retina.tensor.Shape;

/**
 * The import of ops that reshape or combine values: on constants they are folded at import (shape arithmetic,
 * Constant, ConstantOfShape); on computed values they become Flatten, Reshape, Concat or ChannelShuffle layers.
 */
final class ShapeOps {
    private ShapeOps() {
    }

    /** Folds a node whose result is known at import; false when the node computes from the model input. */
    static boolean fold(OnnxImporter ctx, NodeProto n, Attributes a) {
        switch (n.getOpType()) {
            case "Constant" -> ctx.define(n, constant(n, a));
            case "ConstantOfShape" -> {
                long[] dims = ctx.constant(n, 0).longs("shape");
                Const v = a.tensor("value");
                double fill = v == null ? 0 : v.scalar("value");
                double[] d = Const.allocate(OnnxException.where(n), dims);
                Arrays.fill(d, fill);
                ctx.define(n, new Const(dims, d, v == null ? Const.FLOAT : v.dataType()));
            }
            case "Shape" -> {
                long[] dims = switch (ctx.value(n, 0)) {
                    case Const c -> c.dims();
                    case Value.Live l -> withBatch(ctx.batch(), l.sample());
                };
                int start = clamp(axis((int) a.integer("start", 0), dims.length), dims.length);
                int end = clamp(axis((int) a.integer("end", dims.length), dims.length), dims.length);
                ctx.define(n, Const.vector(Arrays.copyOfRange(dims, start, Math.max(start, end))));
            }
            case "Identity" -> ctx.define(n, ctx.value(n, 0));
            default -> {
                for (int i = 0; i < n.getInputCount(); i++) {
                    if (ctx.hasInput(n, i) && !(ctx.value(n, i) instanceof Const)) {
                        return false;
                    }
                }
                if (n.getInputCount() == 0) {
                    return false;
                }
                Const folded = ConstFolding.fold(ctx, n, a);
                if (folded == null) {
                    return false;
                }
                ctx.define(n, folded);
            }
        }
        return true;
    }

    private static Const constant(NodeProto n, Attributes a) {
        if (a.has("sparse_value") || a.has("value_string") || a.has("value_strings")) {
            throw OnnxException.of(n, "sparse and string constants are not supported");
        }
        Const t = a.tensor("value");
        if (t != null) {
            return t;
        }
        if (a.has("value_float")) {
            return Const.scalar(a.real("value_float", 0), Const.FLOAT);
        }
        if (a.has("value_int")) {
            return Const.scalar(a.integer("value_int", 0), Const.INT64);
        }
        float[] fs = a.reals("value_floats");
        if (fs != null) {
            double[] d = new double[fs.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = fs[i];
            }
            return new Const(new long[] {d.length}, d, Const.FLOAT);
        }
        long[] is = a.ints("value_ints");
        if (is != null) {
            return Const.vector(is);
        }
        throw OnnxException.of(n, "the constant has no value attribute");
    }

    static long[] withBatch(int batch, Shape sample) {
        long[] d = new long[sample.rank() + 1];
        d[0] = batch;
        for (int i = 0; i < sample.rank(); i++) {
            d[i + 1] = sample.dim(i);
        }
        return d;
    }

    private static int clamp(int v, int max) {
        return Math.max(0, Math.min(v, max));
    }

    /** A possibly negative axis of a tensor of {@code rank} dims, normalized. */
    static int axis(int axis, int rank) {
        return axis < 0 ? axis + rank : axis;
    }

    /** Layers for ops on values computed from the input; false when the op is not a shape op. */
    static boolean handle(OnnxImporter ctx, NodeProto n, Attributes a) {
        switch (n.getOpType()) {
            case "Flatten" -> {
                Value.Live in = ctx.live(n, 0);
                int axis = axis((int) a.integer("axis", 1), in.sample().rank() + 1);
                if (axis != 1) {
                    throw OnnxException.attribute(n, "axis", "is " + axis + "; Retina flattens each sample"
                            + " (axis 1) and keeps the batch apart");
                }
                ctx.define(n, ctx.add(n, Flatten.of(), in));
            }
            case "Reshape" -> {
                Value.Live in = ctx.live(n, 0);
                long[] target = ctx.constant(n, 1).longs("shape");
                boolean allowZero = a.integer("allowzero", 0) != 0;
                Shape sample = sample(ctx, n, resolve(n, target, withBatch(ctx.batch(), in.sample()), allowZero));
                if (!shuffle(ctx, n, in, sample)) {
                    ctx.define(n, reshape(ctx, n, in, sample));
                }
            }
            case "Transpose" -> transpose(ctx, n, a, ctx.liveAnyLayout(n, 0));
            case "Slice" -> slice(ctx, n, a);
            case "Split" -> split(ctx, n, a);
            case "Unsqueeze", "Squeeze" -> {
                Value.Live in = ctx.live(n, 0);
                long[] axes = ctx.opset() >= 13 ? (ctx.hasInput(n, 1) ? ctx.constant(n, 1).longs("axes") : null)
                        : a.ints("axes");
                long[] dims = ConstFolding.squeeze(n.getOpType().equals("Unsqueeze"), withBatch(ctx.batch(),
                        in.sample()), axes, true);
                ctx.define(n, reshape(ctx, n, in, sample(ctx, n, dims)));
            }
            case "Cast" -> {
                long to = a.integer("to", 0);
                if (to != Const.FLOAT) {
                    throw OnnxException.attribute(n, "to", "is type " + to + "; computed values stay float32");
                }
                ctx.define(n, ctx.live(n, 0));
            }
            case "Concat" -> {
                List<Value.Live> ins = new ArrayList<>();
                for (int i = 0; i < n.getInputCount(); i++) {
                    ins.add(ctx.live(n, i));
                }
                int axis = axis((int) a.integer("axis", 1), ins.getFirst().sample().rank() + 1);
                if (axis != 1) {
                    throw OnnxException.attribute(n, "axis", "is " + axis + "; Retina concatenates along the"
                            + " channels (axis 1)");
                }
                ctx.define(n, ins.size() == 1 ? ins.getFirst() : ctx.merge(n, Concat.of(), ins));
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /**
     * ONNX's reshape rule on full dims: 0 copies the input's dim (unless {@code allowZero}), one -1 takes what is
     * left.
     */
    static long[] resolve(NodeProto n, long[] target, long[] input, boolean allowZero) {
        long[] t = target.clone();
        long total = Arrays.stream(input).reduce(1, (x, y) -> x * y);
        long known = 1;
        int unknown = -1;
        for (int i = 0; i < t.length; i++) {
            if (t[i] == 0 && !allowZero) {
                if (i >= input.length) {
                    throw OnnxException.of(n, "shape " + Arrays.toString(target) + " copies dim " + i + " of a "
                            + input.length + "-dim input");
                }
                t[i] = input[i];
            }
            if (t[i] == -1) {
                if (unknown >= 0) {
                    throw OnnxException.of(n, "shape " + Arrays.toString(target) + " has two -1");
                }
                unknown = i;
            } else {
                known *= t[i];
            }
        }
        if (unknown >= 0 && known > 0) {
            t[unknown] = total / known;
        }
        if (Arrays.stream(t).reduce(1, (x, y) -> x * y) != total) {
            throw OnnxException.of(n, "shape " + Arrays.toString(target) + " does not hold the "
                    + Arrays.toString(input) + " input's " + total + " values");
        }
        return t;
    }

    /** The per-sample part of full dims whose first dim must be the batch. */
    private static Shape sample(OnnxImporter ctx, NodeProto n, long[] dims) {
        if (dims.length < 2 || dims[0] != ctx.batch()) {
            throw OnnxException.of(n, "the result " + Arrays.toString(dims) + " does not keep the batch of "
                    + ctx.batch() + " as its first dim; Retina reshapes each sample on its own");
        }
        int[] s = new int[dims.length - 1];
        for (int i = 1; i < dims.length; i++) {
            s[i - 1] = Math.toIntExact(dims[i]);
        }
        return Shape.of(s);
    }

    private static Value.Live reshape(OnnxImporter ctx, NodeProto n, Value.Live in, Shape sample) {
        if (sample.equals(in.sample())) {
            return in;
        }
        return ctx.add(n, sample.rank() == 1 ? Flatten.of() : Reshape.of(sample.dims()), in);
    }

    private static void transpose(OnnxImporter ctx, NodeProto n, Attributes a, Value.Live in) {
        int rank = in.sample().rank() + 1;
        int[] perm = a.ints("perm", null);
        if (perm == null) {
            perm = new int[rank];
            for (int i = 0; i < rank; i++) {
                perm[i] = rank - 1 - i;
            }
        }
        if (rank == 4 && Arrays.equals(perm, in.channelsLast() ? new int[] {0, 3, 1, 2} : new int[] {0, 2, 3, 1})) {
            // to channels-last and back: Retina keeps (C, H, W) and remembers how the graph sees it
            ctx.define(n, in.as(!in.channelsLast()));
            return;
        }
        if (in.channelsLast()) {
            ctx.live(n, 0); // refuses, naming the layout
        }
        long[] dims = withBatch(ctx.batch(), in.sample());
        if (perm.length != rank || perm[0] != 0) {
            throw OnnxException.attribute(n, "perm", Arrays.toString(perm) + " moves the batch dim or does not fit"
                    + " the " + rank + "-dim input");
        }
        long[] out = new long[rank];
        int last = -1;
        for (int i = 0; i < rank; i++) {
            out[i] = dims[perm[i]];
            if (dims[perm[i]] != 1) {
                if (perm[i] < last) {
                    throw OnnxException.attribute(n, "perm", Arrays.toString(perm) + " on "
                            + Arrays.toString(dims) + " moves data; Retina imports a Transpose only where it is a"
                            + " layout no-op (it moves dims of size 1) or part of a channel shuffle");
                }
                last = perm[i];
            }
        }
        ctx.define(n, reshape(ctx, n, in, sample(ctx, n, out)));
    }

    /**
     * ShuffleNet's channel shuffle, {@code Reshape (C,H,W) -> (g, C/g, H, W)}, {@code Transpose [0,2,1,3,4]},
     * {@code Reshape} back to {@code (C,H,W)}: becomes one {@link ChannelShuffle} when the values between are
     * read by nothing else.
     */
    private static boolean shuffle(OnnxImporter ctx, NodeProto n, Value.Live in, Shape sample) {
        Shape s = in.sample();
        if (s.rank() != 3 || sample.rank() != 4 || sample.dim(0) * sample.dim(1) != s.dim(0)
                || sample.dim(2) != s.dim(1) || sample.dim(3) != s.dim(2)) {
            return false;
        }
        List<NodeProto> r1 = ctx.readers(n.getOutput(0));
        if (r1.size() != 1 || !r1.getFirst().getOpType().equals("Transpose") || ctx.isGraphOutput(n.getOutput(0))) {
            return false;
        }
        NodeProto t = r1.getFirst();
        Attributes ta = new Attributes(t);
        if (!Arrays.equals(ta.ints("perm", null), new int[] {0, 2, 1, 3, 4}) || t.getAttributeCount() != 1) {
            return false;
        }
        List<NodeProto> r2 = ctx.readers(t.getOutput(0));
        if (r2.size() != 1 || !r2.getFirst().getOpType().equals("Reshape") || ctx.isGraphOutput(t.getOutput(0))
                || !ctx.hasInput(r2.getFirst(), 1) || !(ctx.ahead(r2.getFirst().getInput(1)) instanceof Const c)) {
            return false;
        }
        NodeProto back = r2.getFirst();
        long[] shuffled = {ctx.batch(), sample.dim(1), sample.dim(0), s.dim(1), s.dim(2)};
        long[] dims = resolve(back, c.longs("shape"), shuffled, false);
        boolean plain = back.getAttributeList().stream().allMatch(at -> at.getName().equals("allowzero")
                && at.getI() == 0); // allowzero 0 is the default that opset 14 on writes out
        if (!Arrays.equals(dims, withBatch(ctx.batch(), s)) || !plain) {
            return false;
        }
        ctx.skip(t);
        ctx.skip(back);
        Value.Live out = ctx.add(n, ChannelShuffle.of(sample.dim(0)), in);
        ctx.define(n, out);
        ctx.define(back, out);
        return true;
    }

    /**
     * {@code Slice} of a computed value with step 1: one {@link Slice} layer per sliced axis. Starts and ends
     * follow ONNX: negative ones count from the end, and both are clamped to the axis. A range that keeps the
     * whole axis (the batch axis too) is no layer.
     */
    private static void slice(OnnxImporter ctx, NodeProto n, Attributes a) {
        Value.Live x = ctx.live(n, 0);
        long[] starts;
        long[] ends;
        long[] axes;
        long[] steps = null;
        if (ctx.opset() < 10) {
            starts = a.ints("starts");
            ends = a.ints("ends");
            axes = a.ints("axes");
        } else {
            starts = ctx.constant(n, 1).longs("starts");
            ends = ctx.constant(n, 2).longs("ends");
            axes = ctx.hasInput(n, 3) ? ctx.constant(n, 3).longs("axes") : null;
            steps = ctx.hasInput(n, 4) ? ctx.constant(n, 4).longs("steps") : null;
        }
        if (starts == null || ends == null || starts.length != ends.length) {
            throw OnnxException.of(n, "starts and ends must be given, one per axis");
        }
        long[] full = withBatch(ctx.batch(), x.sample());
        Value.Live y = x;
        for (int i = 0; i < starts.length; i++) {
            int axis = axis((int) (axes == null ? i : axes[i]), full.length);
            if (axis < 0 || axis >= full.length) {
                throw OnnxException.attribute(n, "axes", "names axis " + (axes == null ? i : axes[i]) + " of a "
                        + full.length + "-dim input");
            }
            if (steps != null && steps[i] != 1) {
                throw OnnxException.of(n, "step " + steps[i] + " along axis " + axis + "; Retina imports slices"
                        + " with step 1");
            }
            long dim = full[axis];
            long from = Math.clamp(starts[i] < 0 ? starts[i] + dim : starts[i], 0, dim);
            long to = Math.clamp(ends[i] < 0 ? ends[i] + dim : ends[i], 0, dim);
            if (from == 0 && to == dim) {
                continue;
            }
            if (axis == 0) {
                throw OnnxException.of(n, "it slices the batch axis ([" + starts[i] + ", " + ends[i] + ")); Retina"
                        + " keeps every sample of a batch");
            }
            if (to <= from) {
                throw OnnxException.of(n, "the range [" + starts[i] + ", " + ends[i] + ") along axis " + axis
                        + " of " + Arrays.toString(full) + " is empty");
            }
            y = ctx.add(n, Slice.of(axis - 1, (int) from, (int) to), y);
        }
        ctx.define(n, y);
    }

    /** {@code Split} of a computed value: one {@link Slice} per output, along a per-sample axis. */
    private static void split(OnnxImporter ctx, NodeProto n, Attributes a) {
        Value.Live x = ctx.live(n, 0);
        long[] full = withBatch(ctx.batch(), x.sample());
        int axis = axis((int) a.integer("axis", 0), full.length);
        if (axis < 1 || axis >= full.length) {
            throw OnnxException.attribute(n, "axis", "is " + axis + "; Retina splits along a per-sample axis (1.."
                    + (full.length - 1) + ")");
        }
        long[] parts = ctx.opset() >= 13 ? (ctx.hasInput(n, 1) ? ctx.constant(n, 1).longs("split") : null)
                : a.ints("split");
        int outputs = n.getOutputCount();
        if (ctx.opset() >= 18) {
            outputs = (int) a.integer("num_outputs", outputs);
        }
        long dim = full[axis];
        if (parts == null) {
            long each = (dim + outputs - 1) / outputs; // ONNX: equal parts, the last one smaller if need be
            parts = new long[outputs];
            for (int i = 0; i < outputs; i++) {
                parts[i] = Math.min(each, dim - each * i);
            }
        }
        if (parts.length != n.getOutputCount() || Arrays.stream(parts).sum() != dim
                || Arrays.stream(parts).anyMatch(p -> p < 1)) {
            throw OnnxException.of(n, "split " + Arrays.toString(parts) + " into " + n.getOutputCount()
                    + " outputs does not cover axis " + axis + " of " + Arrays.toString(full) + " in positive parts");
        }
        long from = 0;
        for (int i = 0; i < parts.length; i++) {
            ctx.defineOutput(n, i, ctx.add(n, Slice.of(axis - 1, (int) from, (int) (from + parts[i])), x));
            from += parts[i];
        }
    }
}
