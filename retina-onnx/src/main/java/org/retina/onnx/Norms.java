package org.retina.onnx;

import java.util.Arrays;
import java.util.List;
import org.retina.nn.LayerNorm;
import org.retina.onnx.proto.Onnx.NodeProto;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * The import of layer normalization over the last axis, as PyTorch writes {@code LayerNorm}: the
 * {@code LayerNormalization} op (opset 17 on), or before it the decomposed pattern {@code ReduceMean}, {@code Sub},
 * {@code Pow 2}, {@code ReduceMean}, {@code Add eps}, {@code Sqrt}, {@code Div}, usually followed by {@code Mul}
 * weight and {@code Add} bias. Both become one {@link LayerNorm}, which normalizes over Retina's channel axis: the
 * last axis of a {@code (N, F)} value, or of a channels-last one (ConvNeXt's {@code LayerNorm2d}).
 */
final class Norms {
    private Norms() {
    }

    /** Whether the last ONNX axis of {@code x} is Retina's channel axis, which {@link LayerNorm} normalizes over. */
    private static boolean lastIsChannels(Value.Live x) {
        return x.channelsLast() || x.sample().rank() == 1;
    }

    static void layerNormalization(OnnxImporter ctx, NodeProto n, Attributes a) {
        Value.Live x = ctx.liveAnyLayout(n, 0);
        int rank = x.sample().rank() + 1;
        int axis = ShapeOps.axis((int) a.integer("axis", -1), rank);
        a.integer("stash_type", 1);
        if (axis != rank - 1 || !lastIsChannels(x)) {
            throw OnnxException.attribute(n, "axis", "is " + axis + " of " + x.sample().toBatchString() + (x
                    .channelsLast() ? " (channels-last)" : "") + "; Retina imports layer normalization over the last"
                    + " axis of (N, features) or of a channels-last (N, H, W, C) value");
        }
        int c = x.sample().dim(0);
        Tensor weight = vector(ctx, n, ctx.constant(n, 1), c, "scale");
        Tensor bias = ctx.hasInput(n, 2) ? vector(ctx, n, ctx.constant(n, 2), c, "B") : Tensor.zeros(c);
        LayerNorm ln = LayerNorm.of().withEps(a.real("epsilon", 1e-5));
        ctx.define(n, ctx.add(n, ln, x, weight, bias));
    }

    private static Tensor vector(OnnxImporter ctx, NodeProto n, Const v, int c, String what) {
        if (v.size() != c) {
            throw OnnxException.of(n, what + " of dims " + Arrays.toString(v.dims()) + ", expected " + c + " values");
        }
        return v.tensor(Shape.of(c));
    }

    /**
     * The decomposed pattern from a {@code ReduceMean} over the last axis; false, with nothing done, when the
     * graph around the node is anything else.
     */
    static boolean decomposedLayerNorm(OnnxImporter ctx, NodeProto mean, Attributes a) {
        if (!mean.getOpType().equals("ReduceMean") || !(ctx.value(mean, 0) instanceof Value.Live x)
                || !lastIsChannels(x) || !overLast(ctx, mean, x)) {
            return false;
        }
        String in = mean.getInput(0);
        NodeProto sub = only(ctx, mean.getOutput(0), "Sub");
        if (sub == null || !sub.getInput(0).equals(in) || !sub.getInput(1).equals(mean.getOutput(0))) {
            return false;
        }
        List<NodeProto> uses = ctx.readers(sub.getOutput(0));
        NodeProto pow = uses.stream().filter(r -> r.getOpType().equals("Pow")).findFirst().orElse(null);
        NodeProto div = uses.stream().filter(r -> r.getOpType().equals("Div")).findFirst().orElse(null);
        if (uses.size() != 2 || pow == null || div == null || !pow.getInput(0).equals(sub.getOutput(0))
                || !(ctx.ahead(pow.getInput(1)) instanceof Const two) || two.size() != 1 || two.data()[0] != 2) {
            return false;
        }
        NodeProto var = only(ctx, pow.getOutput(0), "ReduceMean");
        if (var == null || !overLast(ctx, var, x)) {
            return false;
        }
        NodeProto add = only(ctx, var.getOutput(0), "Add");
        if (add == null) {
            return false;
        }
        String epsName = add.getInput(0).equals(var.getOutput(0)) ? add.getInput(1) : add.getInput(0);
        NodeProto sqrt = only(ctx, add.getOutput(0), "Sqrt");
        if (!(ctx.ahead(epsName) instanceof Const eps) || eps.size() != 1 || !(eps.data()[0] > 0) || sqrt == null
                || only(ctx, sqrt.getOutput(0), "Div") != div || !div.getInput(0).equals(sub.getOutput(0))
                || !div.getInput(1).equals(sqrt.getOutput(0))) {
            return false;
        }
        a.ints("axes"); // read by overLast: mark them read on this node's own attributes
        a.integer("keepdims", 1);
        for (NodeProto p : List.of(sub, pow, var, add, sqrt, div)) {
            ctx.skip(p);
        }
        int c = x.sample().dim(0);
        // a following Mul by one weight per channel and Add of one bias per channel are the affine part
        NodeProto last = div;
        Tensor weight = null;
        Tensor bias = null;
        NodeProto mul = only(ctx, div.getOutput(0), "Mul");
        Const w = mul == null ? null : other(ctx, mul, div.getOutput(0));
        if (w != null && w.size() == c && !ctx.isGraphOutput(div.getOutput(0))) {
            ctx.skip(mul);
            last = mul;
            weight = w.tensor(Shape.of(c));
            NodeProto plus = only(ctx, mul.getOutput(0), "Add");
            Const b = plus == null ? null : other(ctx, plus, mul.getOutput(0));
            if (b != null && b.size() == c && !ctx.isGraphOutput(mul.getOutput(0))) {
                ctx.skip(plus);
                last = plus;
                bias = b.tensor(Shape.of(c));
            }
        }
        LayerNorm ln = LayerNorm.of().withEps(eps.data()[0]);
        Value.Live y;
        if (weight == null) {
            y = ctx.add(mean, ln.withAffine(false), x);
        } else {
            y = ctx.add(mean, ln, x, weight, bias == null ? Tensor.zeros(c) : bias);
        }
        ctx.define(last, y);
        return true;
    }

    /** Whether a ReduceMean averages over the last axis of {@code x}, keeping it (as PyTorch writes it). */
    private static boolean overLast(OnnxImporter ctx, NodeProto r, Value.Live x) {
        Attributes a = new Attributes(r);
        long[] axes = ctx.opset() >= 18 ? (ctx.hasInput(r, 1) && ctx.ahead(r.getInput(1)) instanceof Const c
                ? c.longs("axes") : null) : a.ints("axes");
        int rank = x.sample().rank() + 1;
        return axes != null && axes.length == 1 && ShapeOps.axis((int) axes[0], rank) == rank - 1
                && a.integer("keepdims", 1) == 1;
    }

    /** The single reader of {@code value} when it is an {@code op} and the value is no graph output; else null. */
    private static NodeProto only(OnnxImporter ctx, String value, String op) {
        List<NodeProto> r = ctx.readers(value);
        return r.size() == 1 && r.getFirst().getOpType().equals(op) && !ctx.isGraphOutput(value) ? r.getFirst()
                : null;
    }

    /** The constant other input of a two-input node one of whose inputs is {@code value}; else null. */
    private static Const other(OnnxImporter ctx, NodeProto n, String value) {
        if (n.getInputCount() != 2) {
            return null;
        }
        String o = n.getInput(0).equals(value) ? n.getInput(1) : n.getInput(0);
        return ctx.ahead(o) instanceof Const c ? c : null;
    }
}
