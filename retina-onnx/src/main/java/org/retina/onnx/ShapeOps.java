package org.retina.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.retina.nn.ChannelShuffle;
import org.retina.nn.Concat;
import org.retina.nn.Flatten;
import org.retina.nn.Reshape;
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
            case "Transpose" -> transpose(ctx, n, a, ctx.live(n, 0));
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
                || !ctx.hasInput(r2.getFirst(), 1) || !(ctx.value(r2.getFirst(), 1) instanceof Const c)) {
            return false;
        }
        NodeProto back = r2.getFirst();
        long[] shuffled = {ctx.batch(), sample.dim(1), sample.dim(0), s.dim(1), s.dim(2)};
        long[] dims = resolve(back, c.longs("shape"), shuffled, false);
        if (!Arrays.equals(dims, withBatch(ctx.batch(), s)) || back.getAttributeCount() > 0) {
            return false;
        }
        ctx.skip(t);
        ctx.skip(back);
        Value.Live out = ctx.add(n, ChannelShuffle.of(sample.dim(0)), in);
        ctx.define(n, out);
        ctx.define(back, out);
        return true;
    }
}
