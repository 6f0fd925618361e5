package org.retina.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.retina.nn.Add;
import org.retina.nn.Arithmetic;
import org.retina.nn.Clip;
import org.retina.nn.Dense;
import org.retina.nn.Dropout;
import org.retina.nn.Conv2d;
import org.retina.nn.ELU;
import org.retina.nn.Erf;
import org.retina.nn.HardSigmoid;
import org.retina.nn.HardSwish;
import org.retina.nn.Layer;
import org.retina.nn.LeakyReLU;
import org.retina.nn.LogSoftmax;
import org.retina.nn.Multiply;
import org.retina.nn.PReLU;
import org.retina.nn.ReLU;
import org.retina.nn.Reshape;
import org.retina.nn.SELU;
import org.retina.nn.Scale;
import org.retina.nn.Shift;
import org.retina.nn.SiLU;
import org.retina.nn.Sigmoid;
import org.retina.nn.Softmax;
import org.retina.nn.Softplus;
import org.retina.nn.Softsign;
import org.retina.nn.Tanh;
import org.retina.onnx.proto.Onnx.NodeProto;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * The import of elementwise and dense ops: activations, arithmetic with constants (per channel or one value),
 * sums of computed values, softmax, dropout, Gemm and MatMul.
 */
final class PointOps {
    private PointOps() {
    }

    /** Adds the layer for {@code n}; false when the op is not one of these. */
    static boolean handle(OnnxImporter ctx, NodeProto n, Attributes a) {
        if (n.getOpType().equals("Sigmoid") && silu(ctx, n)) {
            return true;
        }
        Layer layer = switch (n.getOpType()) {
            case "Relu" -> ReLU.of();
            case "LeakyRelu" -> LeakyReLU.of(a.real("alpha", 0.01));
            case "Sigmoid" -> Sigmoid.of();
            case "HardSigmoid" -> HardSigmoid.of(a.real("alpha", 0.2), a.real("beta", 0.5));
            case "HardSwish" -> HardSwish.of();
            case "Tanh" -> Tanh.of();
            case "Elu" -> ELU.of(a.real("alpha", 1.0));
            case "Selu" -> selu(n, a);
            case "Softplus" -> Softplus.of();
            case "Softsign" -> Softsign.of();
            case "Clip" -> clip(ctx, n, a);
            case "Dropout" -> dropout(ctx, n, a);
            case "Erf" -> Erf.of();
            default -> null;
        };
        if (layer != null) { // value by value: either layout
            ctx.define(n, ctx.add(n, layer, ctx.liveAnyLayout(n, 0)));
            return true;
        }
        switch (n.getOpType()) {
            case "Add", "Sum", "Mul", "Sub", "Div" -> arithmetic(ctx, n, a);
            case "PRelu" -> {
                Value.Live x = ctx.live(n, 0);
                Const slope = ctx.constant(n, 1);
                // before opset 7 a slope of one dim lies along the channels
                boolean perChannel = perChannel(ctx, n, x, slope, ctx.opset() < 7 && slope.rank() == 1 ? 1 : -1);
                ctx.define(n, ctx.add(n, perChannel ? PReLU.perChannel() : PReLU.of(), x,
                        slope.tensor(Shape.of(slope.size()))));
            }
            case "Softmax", "LogSoftmax" -> softmax(ctx, n, a);
            case "Gemm" -> gemm(ctx, n, a);
            case "MatMul" -> {
                if (ctx.liveAnyLayout(n, 0).channelsLast()) {
                    pointwiseMatMul(ctx, n);
                    return true;
                }
                Value.Live x = features(ctx, n);
                Const b = ctx.constant(n, 1);
                if (b.rank() != 2 || b.dims()[0] != x.sample().dim(0)) {
                    throw OnnxException.of(n, "weight of dims " + Arrays.toString(b.dims()) + " does not multiply"
                            + " " + x.sample().toBatchString());
                }
                int out = (int) b.dims()[1];
                Dense dense = Dense.of(out).withInFeatures(x.sample().dim(0)).withBias(false);
                ctx.define(n, ctx.add(n, dense, x, b.transpose(new int[] {1, 0}).tensor(Shape.of(out,
                        x.sample().dim(0)))));
            }
            case "Abs" -> softsign(ctx, n);
            default -> {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code MatMul} of a channels-last {@code (N, H, W, C)} value by a constant {@code (C, K)}: a linear layer
     * applied at every position (ConvNeXt's MLP), which on Retina's {@code (C, H, W)} is a 1x1 convolution.
     */
    private static void pointwiseMatMul(OnnxImporter ctx, NodeProto n) {
        Value.Live x = ctx.liveAnyLayout(n, 0);
        Const b = ctx.constant(n, 1);
        int c = x.sample().dim(0);
        if (b.rank() != 2 || b.dims()[0] != c) {
            throw OnnxException.of(n, "weight of dims " + Arrays.toString(b.dims()) + " does not multiply the last"
                    + " axis (" + c + ") of a channels-last value");
        }
        int k = (int) b.dims()[1];
        Conv2d conv = Conv2d.of(k, 1).withInChannels(c).withBias(false);
        ctx.define(n, ctx.add(n, conv, x, b.transpose(new int[] {1, 0}).tensor(Shape.of(k, c, 1, 1))));
    }

    private static Layer selu(NodeProto n, Attributes a) {
        double alpha = a.real("alpha", SELU.ALPHA);
        double gamma = a.real("gamma", SELU.SCALE);
        if (Math.abs(alpha - SELU.ALPHA) > 1e-6 || Math.abs(gamma - SELU.SCALE) > 1e-6) {
            throw OnnxException.attribute(n, Math.abs(alpha - SELU.ALPHA) > 1e-6 ? "alpha" : "gamma", "alpha "
                    + alpha + ", gamma " + gamma + "; Retina's SELU has the fixed constants " + SELU.ALPHA + ", "
                    + SELU.SCALE);
        }
        return SELU.of();
    }

    private static Layer clip(OnnxImporter ctx, NodeProto n, Attributes a) {
        if (ctx.opset() < 11) {
            return Clip.of(a.real("min", Double.NEGATIVE_INFINITY), a.real("max", Double.POSITIVE_INFINITY));
        }
        double min = ctx.hasInput(n, 1) ? ctx.constant(n, 1).scalar("min") : Double.NEGATIVE_INFINITY;
        double max = ctx.hasInput(n, 2) ? ctx.constant(n, 2).scalar("max") : Double.POSITIVE_INFINITY;
        return Clip.of(min, max);
    }

    private static Layer dropout(OnnxImporter ctx, NodeProto n, Attributes a) {
        double ratio;
        if (ctx.opset() < 12) {
            ratio = a.real("ratio", 0.5);
            if (ctx.opset() < 7) {
                a.integer("is_test", 0);
            }
        } else {
            a.integer("seed", 0);
            ratio = ctx.hasInput(n, 1) ? ctx.constant(n, 1).scalar("ratio") : 0.5;
            if (ctx.hasInput(n, 2) && ctx.constant(n, 2).scalar("training_mode") != 0) {
                throw OnnxException.of(n, "training_mode is true; Retina imports inference graphs");
            }
        }
        return Dropout.of(ratio);
    }

    /** Input 0 as {@code (N, features)}. */
    private static Value.Live features(OnnxImporter ctx, NodeProto n) {
        Value.Live x = ctx.live(n, 0);
        if (x.sample().rank() != 1) {
            throw OnnxException.of(n, "input " + x.sample().toBatchString() + "; Retina imports " + n.getOpType()
                    + " on (N, features) (a Flatten or Reshape first)");
        }
        return x;
    }

    private static void gemm(OnnxImporter ctx, NodeProto n, Attributes a) {
        Value.Live x = features(ctx, n);
        a.require("transA", 0, "Retina multiplies the input as it is");
        if (ctx.opset() < 7) {
            a.integer("broadcast", 0);
        }
        boolean transB = a.integer("transB", 0) != 0;
        double alpha = a.real("alpha", 1);
        double beta = a.real("beta", 1);
        Const b = ctx.constant(n, 1);
        if (b.rank() != 2) {
            throw OnnxException.of(n, "B of dims " + Arrays.toString(b.dims()) + ", expected a matrix");
        }
        Const w = transB ? b : b.transpose(new int[] {1, 0});
        int out = (int) w.dims()[0];
        int in = (int) w.dims()[1];
        if (in != x.sample().dim(0)) {
            throw OnnxException.of(n, "B of dims " + Arrays.toString(b.dims()) + (transB ? " (transposed)" : "")
                    + " does not multiply " + x.sample().toBatchString());
        }
        Tensor weight = scaled(w, alpha).tensor(Shape.of(out, in));
        Dense dense = Dense.of(out).withInFeatures(in).withBias(ctx.hasInput(n, 2));
        if (!ctx.hasInput(n, 2)) {
            ctx.define(n, ctx.add(n, dense, x, weight));
            return;
        }
        Const c = ctx.constant(n, 2);
        double[] bias = new double[out];
        if (c.size() != 1 && c.size() != out) {
            throw OnnxException.of(n, "C of dims " + Arrays.toString(c.dims()) + " is not one value per output ("
                    + out + ")");
        }
        for (int i = 0; i < out; i++) {
            bias[i] = c.data()[c.size() == 1 ? 0 : i] * beta;
        }
        ctx.define(n, ctx.add(n, dense, x, weight, new Const(new long[] {out}, bias, Const.FLOAT)
                .tensor(Shape.of(out))));
    }

    private static Const scaled(Const c, double factor) {
        return factor == 1 ? c : new Const(c.dims(), Arrays.stream(c.data()).map(v -> v * factor).toArray(),
                c.dataType());
    }

    private static void softmax(OnnxImporter ctx, NodeProto n, Attributes a) {
        Value.Live x = ctx.live(n, 0);
        Shape s = x.sample();
        int rank = s.rank() + 1;
        int axis = ShapeOps.axis((int) a.integer("axis", ctx.opset() < 13 ? 1 : -1), rank);
        if (axis < 1 || axis >= rank) {
            throw OnnxException.attribute(n, "axis", "is " + axis + "; Retina's softmax works within a sample"
                    + " (axes 1.." + (rank - 1) + ")");
        }
        boolean log = n.getOpType().equals("LogSoftmax");
        int trailing = s.size() / Arrays.stream(s.dims(), 0, axis).reduce(1, (p, q) -> p * q);
        if (ctx.opset() >= 13 || trailing == s.dim(axis - 1)) {
            ctx.define(n, ctx.add(n, log ? LogSoftmax.of(axis) : Softmax.of(axis), x));
            return;
        }
        // before opset 13 the op flattens the dims from axis on into one and normalizes over all of them
        int[] flat = Arrays.copyOf(s.dims(), axis);
        flat[axis - 1] = -1;
        Value.Live f = ctx.add(n, Reshape.of(flat), x);
        Value.Live y = ctx.add(n, log ? LogSoftmax.of(axis) : Softmax.of(axis), f);
        ctx.define(n, ctx.add(n, Reshape.of(s.dims()), y));
    }

    /**
     * Whether a constant broadcast over {@code x} holds one value per channel (true) or one in all (false); ONNX's
     * legacy broadcasting places it at {@code legacyAxis} when that is not -1.
     */
    private static boolean perChannel(OnnxImporter ctx, NodeProto n, Value.Live x, Const c, int legacyAxis) {
        if (x.channelsLast()) { // the ONNX graph's last axis is Retina's channel axis
            long[] d = c.dims();
            boolean trailing = c.size() == x.sample().dim(0)
                    && (d.length == 0 || d[d.length - 1] == c.size()) && d.length <= x.sample().rank() + 1;
            if (c.size() != 1 && !trailing) {
                throw OnnxException.of(n, "constant of dims " + Arrays.toString(d) + " broadcast over a channels-last"
                        + " value is neither one value nor one per channel (along the last axis)");
            }
            return c.size() != 1;
        }
        long[] full = ShapeOps.withBatch(ctx.batch(), x.sample());
        long[] d = new long[full.length];
        Arrays.fill(d, 1);
        int at = legacyAxis >= 0 ? legacyAxis : full.length - c.rank();
        if (at < 0 || at + c.rank() > full.length) {
            throw OnnxException.of(n, "constant of dims " + Arrays.toString(c.dims()) + " does not broadcast over "
                    + x.sample().toBatchString());
        }
        System.arraycopy(c.dims(), 0, d, at, c.rank());
        if (c.size() == 1) {
            return false;
        }
        for (int i = 0; i < d.length; i++) {
            if (d[i] != 1 && (i != 1 || d[i] != full[1])) {
                throw OnnxException.of(n, "constant of dims " + Arrays.toString(c.dims()) + " broadcast over "
                        + x.sample().toBatchString() + " is neither one value nor one per channel; Retina imports"
                        + " those two");
            }
        }
        return true;
    }

    private static void arithmetic(OnnxImporter ctx, NodeProto n, Attributes a) {
        String op = n.getOpType();
        int legacyAxis = -1;
        if (ctx.opset() < 7 && !op.equals("Sum")) {
            a.integer("broadcast", 0);
            legacyAxis = (int) a.integer("axis", -1);
        }
        List<Value.Live> lives = new ArrayList<>();
        Const c = null;
        int constAt = -1;
        for (int i = 0; i < n.getInputCount(); i++) {
            if (ctx.value(n, i) instanceof Value.Live) {
                lives.add(ctx.liveAnyLayout(n, i)); // value by value, or per channel: either layout
            } else {
                c = ctx.constant(n, i);
                constAt = i;
            }
        }
        boolean sum = op.equals("Add") || op.equals("Sum");
        if (c == null) {
            if (lives.size() == 1) {
                ctx.define(n, lives.getFirst());
                return;
            }
            boolean same = lives.stream().allMatch(l -> l.sample().equals(lives.getFirst().sample()));
            if (sum && same) {
                ctx.define(n, ctx.merge(n, Add.of(), lives));
                return;
            }
            if (lives.size() != 2) {
                throw OnnxException.of(n, op + " of " + lives.size() + " computed values of shapes "
                        + lives.stream().map(l -> l.sample().toBatchString()).toList() + "; Retina broadcasts two");
            }
            if (lives.get(0).sample().rank() != lives.get(1).sample().rank()) {
                // ONNX aligns the batch dim too: samples of different ranks would line up differently here
                throw OnnxException.of(n, op + " of " + lives.get(0).sample().toBatchString() + " and "
                        + lives.get(1).sample().toBatchString() + "; Retina broadcasts computed values of one rank");
            }
            ctx.define(n, ctx.merge(n, switch (op) {
                case "Mul" -> Multiply.of();
                case "Sub" -> Arithmetic.of(Arithmetic.Op.SUBTRACT);
                case "Div" -> Arithmetic.of(Arithmetic.Op.DIVIDE);
                default -> Arithmetic.of(Arithmetic.Op.ADD);
            }, lives));
            return;
        }
        if (lives.size() != 1 || n.getInputCount() != 2) {
            throw OnnxException.of(n, op + " mixes " + lives.size() + " computed values with constants; Retina"
                    + " imports one computed value with one constant");
        }
        Value.Live x = lives.getFirst();
        if (constAt == 0 && (op.equals("Sub") || op.equals("Div"))) {
            throw OnnxException.of(n, "a constant " + (op.equals("Sub") ? "minus" : "divided by") + " a computed"
                    + " value is not supported; Retina imports x - c and x / c");
        }
        boolean perChannel = perChannel(ctx, n, x, c, legacyAxis);
        double[] v = c.data().clone();
        for (int i = 0; i < v.length; i++) {
            v[i] = op.equals("Sub") ? -v[i] : op.equals("Div") ? 1.0 / v[i] : v[i];
        }
        Tensor values = new Const(new long[] {v.length}, v, Const.FLOAT).tensor(Shape.of(v.length));
        boolean scale = op.equals("Mul") || op.equals("Div");
        Layer layer = scale ? (perChannel ? Scale.perChannel() : Scale.of())
                : (perChannel ? Shift.perChannel() : Shift.of());
        ctx.define(n, ctx.add(n, layer, x, values));
    }

    /**
     * {@code Sigmoid(x)} read only by {@code Mul(x, sigmoid)}: PyTorch's export of SiLU, imported as one fused layer
     * that computes the same function; false (and nothing done) for any other use of the sigmoid.
     */
    private static boolean silu(OnnxImporter ctx, NodeProto sig) {
        List<NodeProto> r = ctx.readers(sig.getOutput(0));
        if (r.size() != 1 || !r.getFirst().getOpType().equals("Mul") || ctx.isGraphOutput(sig.getOutput(0))) {
            return false;
        }
        NodeProto mul = r.getFirst();
        String x = sig.getInput(0);
        String s = sig.getOutput(0);
        boolean pair = mul.getInputCount() == 2 && (mul.getInput(0).equals(x) && mul.getInput(1).equals(s)
                || mul.getInput(0).equals(s) && mul.getInput(1).equals(x));
        if (!pair) {
            return false;
        }
        ctx.skip(mul);
        Value.Live y = ctx.add(sig, SiLU.of(), ctx.liveAnyLayout(sig, 0));
        ctx.define(sig, y);
        ctx.define(mul, y);
        return true;
    }

    /** {@code Abs}, then {@code Add} of 1, then {@code Div} of the input by it: PyTorch's export of Softsign. */
    private static void softsign(OnnxImporter ctx, NodeProto abs) {
        Value.Live x = ctx.live(abs, 0);
        List<NodeProto> r1 = ctx.readers(abs.getOutput(0));
        if (r1.size() == 1 && r1.getFirst().getOpType().equals("Add") && !ctx.isGraphOutput(abs.getOutput(0))) {
            NodeProto add = r1.getFirst();
            int other = add.getInput(0).equals(abs.getOutput(0)) ? 1 : 0;
            List<NodeProto> r2 = ctx.readers(add.getOutput(0));
            if (add.getInputCount() == 2 && ctx.ahead(add.getInput(other)) instanceof Const one && one.size() == 1
                    && one.data()[0] == 1 && r2.size() == 1 && r2.getFirst().getOpType().equals("Div")
                    && !ctx.isGraphOutput(add.getOutput(0))) {
                NodeProto div = r2.getFirst();
                if (div.getInputCount() == 2 && div.getInput(0).equals(abs.getInput(0))
                        && div.getInput(1).equals(add.getOutput(0))) {
                    ctx.skip(add);
                    ctx.skip(div);
                    Value.Live y = ctx.add(abs, Softsign.of(), x);
                    ctx.define(abs, y);
                    ctx.define(div, y);
                    return;
                }
            }
        }
        throw OnnxException.of(abs, "Abs is imported only as part of x / (1 + |x|), PyTorch's export of Softsign");
    }
}
