package org.retina.onnx;

import static org.retina.onnx.OnnxExporter.integer;
import static org.retina.onnx.OnnxExporter.ints;
import static org.retina.onnx.OnnxExporter.names;
import static org.retina.onnx.OnnxExporter.real;

import java.util.List;
import org.retina.kernel.ConvGeometry;
import org.retina.kernel.LayoutKernels.PadMode;
import org.retina.model.Model;
import org.retina.nn.Add;
import org.retina.nn.Arithmetic;
import org.retina.nn.AvgPool2d;
import org.retina.nn.BatchNorm1d;
import org.retina.nn.BatchNorm2d;
import org.retina.nn.ChannelShuffle;
import org.retina.nn.Clip;
import org.retina.nn.Component;
import org.retina.nn.Concat;
import org.retina.nn.Conv2d;
import org.retina.nn.ConvBlock;
import org.retina.nn.Dense;
import org.retina.nn.Dropout;
import org.retina.nn.ELU;
import org.retina.nn.Erf;
import org.retina.nn.Fit;
import org.retina.nn.Flatten;
import org.retina.nn.GaussianPool2d;
import org.retina.nn.GlobalAvgPool2d;
import org.retina.nn.GlobalMaxPool2d;
import org.retina.nn.HardSigmoid;
import org.retina.nn.HardSwish;
import org.retina.nn.Layer;
import org.retina.nn.LayerNorm;
import org.retina.nn.LeakyReLU;
import org.retina.nn.LocalResponseNorm;
import org.retina.nn.LogSoftmax;
import org.retina.nn.LpPool2d;
import org.retina.nn.MaxPool2d;
import org.retina.nn.Multiply;
import org.retina.nn.PReLU;
import org.retina.nn.Pad2d;
import org.retina.nn.ReLU;
import org.retina.nn.Reduce;
import org.retina.nn.Reshape;
import org.retina.nn.SELU;
import org.retina.nn.Scale;
import org.retina.nn.Shift;
import org.retina.nn.Sigmoid;
import org.retina.nn.SiLU;
import org.retina.nn.Slice;
import org.retina.nn.Softmax;
import org.retina.nn.Softplus;
import org.retina.nn.Softsign;
import org.retina.nn.Tanh;
import org.retina.onnx.proto.Onnx.AttributeProto;
import org.retina.tensor.Parameter;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/** The ONNX nodes of each Retina component, exactly equivalent in inference (evaluation mode). */
final class ExportOps {
    private ExportOps() {
    }

    static void emit(OnnxExporter e, Model model, Model.Node node) {
        String name = node.name();
        List<String> in = node.inputs();
        String x = in.getFirst();
        Shape sample = model.shapeOf(x);
        Component c = node.component();
        switch (c) {
            case Conv2d conv -> e.node("Conv", name, withParams(e, name, x, conv.parameters()), name,
                    window(conv.geometry(), true));
            case ConvBlock b -> convBlock(e, name, x, b);
            case Dense d -> e.node("Gemm", name, withParams(e, name, x, d.parameters()), name, integer("transB", 1));
            case Flatten f -> e.node("Flatten", name, names(x), name, integer("axis", 1));
            case ReLU r -> e.node("Relu", name, names(x), name);
            case LeakyReLU l -> e.node("LeakyRelu", name, names(x), name, real("alpha", l.settings().negativeSlope()));
            case Sigmoid s -> e.node("Sigmoid", name, names(x), name);
            case HardSigmoid h -> e.node("HardSigmoid", name, names(x), name, real("alpha", h.settings().alpha()),
                    real("beta", h.settings().beta()));
            case HardSwish h -> e.node("HardSwish", name, names(x), name);
            case SiLU s -> silu(e, name, x);
            case Tanh t -> e.node("Tanh", name, names(x), name);
            case Softmax s -> e.node("Softmax", name, names(x), name, integer("axis", s.dim()));
            case LogSoftmax s -> e.node("LogSoftmax", name, names(x), name, integer("axis", s.dim()));
            case BatchNorm2d b -> batchNorm(e, name, name, x, b.weight(), b.bias(), b.runningMean(), b.runningVar(),
                    b.settings().eps(), b.settings().momentum());
            case BatchNorm1d b -> batchNorm(e, name, name, x, b.weight(), b.bias(), b.runningMean(), b.runningVar(),
                    b.settings().eps(), b.settings().momentum());
            case Dropout d -> e.node("Dropout", name, names(x, e.scalar(name + ".ratio", (float) d.settings().p())),
                    name);
            case MaxPool2d p -> e.node("MaxPool", name, names(x), name, pool(p.geometry(), p.settings().window().fit()));
            case AvgPool2d p -> avgPool(e, name, x, p);
            case LpPool2d p -> lpPool(e, name, x, p);
            case GaussianPool2d p -> gaussian(e, name, x, p, sample.dim(0));
            case GlobalAvgPool2d p -> e.node("GlobalAveragePool", name, names(x), name);
            case GlobalMaxPool2d p -> e.node("GlobalMaxPool", name, names(x), name);
            case Add a -> e.node(in.size() == 2 ? "Add" : "Sum", name, in, name);
            case Concat k -> e.node("Concat", name, in, name, integer("axis", 1));
            case Multiply k -> broadcast(e, model, "Mul", name, in);
            case Arithmetic k -> broadcast(e, model, switch (k.settings().op()) {
                case ADD -> "Add";
                case SUBTRACT -> "Sub";
                case DIVIDE -> "Div";
            }, name, in);
            case LocalResponseNorm l -> lrn(e, node, x, sample, l.settings());
            case Pad2d p -> pad(e, name, x, p.settings());
            case PReLU p -> e.node("PRelu", name, names(x, perChannel(e, name, p.weight(), sample)), name);
            case ELU l -> e.node("Elu", name, names(x), name, real("alpha", l.settings().alpha()));
            case SELU s -> e.node("Selu", name, names(x), name, real("alpha", SELU.ALPHA), real("gamma", SELU.SCALE));
            case Softplus s -> softplus(e, node, x, s.settings());
            case Softsign s -> e.node("Softsign", name, names(x), name);
            case Clip k -> e.node("Clip", name, names(x, bound(e, name + ".min", k.settings().min()),
                    bound(e, name + ".max", k.settings().max())), name);
            case Scale s -> e.node("Mul", name, names(x, perChannel(e, name, s.weight(), sample)), name);
            case Shift s -> e.node("Add", name, names(x, perChannel(e, name, s.bias(), sample)), name);
            case Reshape r -> e.node("Reshape", name, names(x, e.longs(name + ".shape",
                    batchFirst(model.shapeOf(name)))), name);
            case ChannelShuffle s -> shuffle(e, name, x, sample, s.settings().groups());
            case Erf f -> e.node("Erf", name, names(x), name);
            case Reduce r -> e.node(switch (r.settings().op()) { // opset 18 on: the axes as an input for all three
                case MEAN -> "ReduceMean";
                case SUM -> "ReduceSum";
                case MAX -> "ReduceMax";
            }, name, names(x, e.longs(name + ".axes", r.settings().axes().stream().mapToLong(v -> v + 1).toArray())),
                    name, integer("keepdims", r.settings().keepDims() ? 1 : 0));
            case LayerNorm l -> layerNorm(e, name, x, sample, l);
            case Slice s -> e.node("Slice", name, names(x, e.longs(name + ".starts", s.settings().start()),
                    e.longs(name + ".ends", s.settings().end()), e.longs(name + ".axes", s.settings().axis() + 1)),
                    name);
            default -> throw unsupported(node, "it has no ONNX equivalent");
        }
    }

    /**
     * LayerNormalization normalizes over the trailing axes: a {@code (C, H, W)} sample goes channels-last and back
     * around it, as PyTorch writes ConvNeXt's {@code LayerNorm2d}.
     */
    private static void layerNorm(OnnxExporter e, String name, String x, Shape sample, LayerNorm l) {
        int c = sample.dim(0);
        String scale = l.weight() != null ? e.param(name, l.weight())
                : e.floats(name + ".ones", Tensor.full(Shape.of(c), 1f), c);
        String shift = l.bias() != null ? e.param(name, l.bias()) : e.floats(name + ".zeros", Tensor.zeros(c), c);
        int rank = sample.rank() + 1;
        if (rank == 2) {
            e.node("LayerNormalization", name, names(x, scale, shift), name, integer("axis", -1),
                    real("epsilon", l.settings().eps()));
            return;
        }
        int[] last = new int[rank];
        int[] back = new int[rank];
        for (int i = 1; i < rank; i++) {
            last[i] = i == rank - 1 ? 1 : i + 1;
            back[i] = i == 1 ? rank - 1 : i - 1;
        }
        e.node("Transpose", name + ".last", names(x), name + ".last", ints("perm", last));
        e.node("LayerNormalization", name + ".norm", names(name + ".last", scale, shift), name + ".norm",
                integer("axis", -1), real("epsilon", l.settings().eps()));
        e.node("Transpose", name, names(name + ".norm"), name, ints("perm", back));
    }

    /**
     * Retina broadcasts samples from the right, ONNX whole tensors (the batch too): an input of lower rank is
     * first reshaped to {@code (N, 1, ..., its dims)}.
     */
    private static void broadcast(OnnxExporter e, Model model, String op, String name, List<String> in) {
        Shape a = model.shapeOf(in.get(0));
        Shape b = model.shapeOf(in.get(1));
        List<String> ins = names(in.get(0), in.get(1));
        for (int i = 0; i < 2; i++) {
            Shape s = i == 0 ? a : b;
            int rank = Math.max(a.rank(), b.rank());
            if (s.rank() < rank) {
                int[] d = new int[rank];
                java.util.Arrays.fill(d, 1);
                System.arraycopy(s.dims(), 0, d, rank - s.rank(), s.rank());
                String r = name + ".in" + i;
                e.node("Reshape", r, names(in.get(i), e.longs(r + ".shape", batchFirst(Shape.of(d)))), r);
                ins.set(i, r);
            }
        }
        e.node(op, name, ins, name);
    }

    private static IllegalArgumentException unsupported(Model.Node node, String why) {
        return new IllegalArgumentException("ONNX export: " + node.component().type() + " '" + node.name()
                + "' cannot be exported: " + why);
    }

    private static List<String> withParams(OnnxExporter e, String name, String x, List<Parameter> params) {
        List<String> l = names(x);
        params.forEach(p -> l.add(e.param(name, p)));
        return l;
    }

    /** kernel_shape, strides, pads ({@code [top, left, bottom, right]}), dilations (and group for a convolution). */
    private static AttributeProto[] window(ConvGeometry g, boolean conv) {
        AttributeProto[] a = {ints("kernel_shape", g.kH(), g.kW()), ints("strides", g.strideH(), g.strideW()),
            ints("pads", g.padTop(), g.padLeft(), g.padBottom(), g.padRight()),
            ints("dilations", g.dilationH(), g.dilationW())};
        return conv ? concat(a, integer("group", g.groups())) : a;
    }

    private static AttributeProto[] pool(ConvGeometry g, Fit fit) {
        return concat(window(g, false), integer("ceil_mode", fit == Fit.CEIL ? 1 : 0));
    }

    private static AttributeProto[] concat(AttributeProto[] a, AttributeProto b) {
        AttributeProto[] r = java.util.Arrays.copyOf(a, a.length + 1);
        r[a.length] = b;
        return r;
    }

    /** A batch norm whose parameters are named after node {@code name} and whose node and output are {@code out}. */
    private static void batchNorm(OnnxExporter e, String name, String out, String x, Parameter weight, Parameter bias,
                                  Parameter mean, Parameter var, double eps, double momentum) {
        int c = mean.size();
        String w = weight != null ? e.param(name, weight) : e.floats(name + ".weight", Tensor.full(Shape.of(c), 1f), c);
        String b = bias != null ? e.param(name, bias) : e.floats(name + ".bias", Tensor.zeros(c), c);
        e.node("BatchNormalization", out, names(x, w, b, e.param(name, mean), e.param(name, var)), out,
                real("epsilon", eps), real("momentum", 1 - momentum));
    }

    /**
     * A conv block as its parts, one node each, the last one writing the block's output: the parameters keep the
     * block's names ({@code block.conv.weight}), the values between parts are {@code block.conv}, {@code block.bn}, ...
     */
    private static void convBlock(OnnxExporter e, String name, String x, ConvBlock block) {
        List<Layer> parts = block.layers();
        String in = x;
        for (int i = 0; i < parts.size(); i++) {
            Layer part = parts.get(i);
            String out = i == parts.size() - 1 ? name : name + "." + switch (part.blockPart().stage()) {
                case CONV -> "conv";
                case NORM -> "bn";
                case ACTIVATION -> "act";
                case POOL -> "pool";
            };
            switch (part) {
                case Conv2d c -> e.node("Conv", out, withParams(e, name, in, c.parameters()), out,
                        window(c.geometry(), true));
                case BatchNorm2d b -> batchNorm(e, name, out, in, b.weight(), b.bias(), b.runningMean(),
                        b.runningVar(), b.settings().eps(), b.settings().momentum());
                case ReLU r -> e.node("Relu", out, names(in), out);
                case Tanh t -> e.node("Tanh", out, names(in), out);
                case SiLU s -> silu(e, out, in);
                case Clip k -> e.node("Clip", out, names(in, bound(e, out + ".min", k.settings().min()),
                        bound(e, out + ".max", k.settings().max())), out);
                case MaxPool2d p -> e.node("MaxPool", out, names(in), out, pool(p.geometry(), p.settings().window().fit()));
                case AvgPool2d p -> avgPool(e, out, in, p);
                default -> throw new IllegalStateException("ConvBlock part " + part + " has no ONNX form");
            }
            in = out;
        }
    }

    /** SiLU as PyTorch exports it, the sigmoid and the product: there is no SiLU op before opset 24. */
    private static void silu(OnnxExporter e, String name, String x) {
        e.node("Sigmoid", name + ".sigmoid", names(x), name + ".sigmoid");
        e.node("Mul", name, List.of(x, name + ".sigmoid"), name);
    }

    /**
     * Average pooling; with the padding counted and unequal on two sides, the padding becomes a Pad node, since
     * ONNX Runtime's divisor then disagrees with the specification.
     */
    private static void avgPool(OnnxExporter e, String name, String x, AvgPool2d p) {
        ConvGeometry g = p.geometry();
        boolean include = p.settings().countIncludePad();
        if (include && (g.padTop() != g.padBottom() || g.padLeft() != g.padRight())) {
            e.node("Pad", name + ".pad", names(x, e.longs(name + ".pads", 0, 0, g.padTop(), g.padLeft(), 0, 0,
                    g.padBottom(), g.padRight())), name + ".pad");
            x = name + ".pad";
            g = new ConvGeometry(g.inC(), g.inH() + g.padTop() + g.padBottom(), g.inW() + g.padLeft() + g.padRight(),
                    g.outC(), g.outH(), g.outW(), g.kH(), g.kW(), g.strideH(), g.strideW(), 0, 0, 0, 0,
                    g.dilationH(), g.dilationW(), g.groups());
        }
        e.node("AveragePool", name, names(x), name, concat(pool(g, p.settings().window().fit()),
                integer("count_include_pad", include ? 1 : 0)));
    }

    private static void lrn(OnnxExporter e, Model.Node node, String x, Shape sample, LocalResponseNorm.Config s) {
        String name = node.name();
        if (s.size() % 2 == 0) {
            throw unsupported(node, "an even size (" + s.size() + ") places ONNX's window one channel later than"
                    + " PyTorch's");
        }
        AttributeProto[] a = {integer("size", s.size()), real("alpha", s.alpha()), real("beta", s.beta()),
            real("bias", s.k())};
        if (sample.rank() == 3) {
            e.node("LRN", name, names(x), name, a);
            return;
        }
        // ONNX Runtime normalizes (N, C, H, W) only: other ranks are viewed as (N, C, rest, 1)
        e.node("Reshape", name + ".image", names(x, e.longs(name + ".image_shape", 0, sample.dim(0), -1, 1)),
                name + ".image");
        e.node("LRN", name + ".lrn", names(name + ".image"), name + ".lrn", a);
        e.node("Reshape", name, names(name + ".lrn", e.longs(name + ".shape", batchFirst(sample))), name);
    }

    private static void lpPool(OnnxExporter e, String name, String x, LpPool2d p) {
        double power = p.settings().normType();
        if (power != Math.rint(power) || power % 2 != 0) {
            throw new IllegalArgumentException("ONNX export: LpPool2d '" + name + "' has normType " + power
                    + "; ONNX's LpPool takes an integer p and |x|^p, equal to Retina's x^p for even p only");
        }
        ConvGeometry g = p.geometry();
        if (p.settings().window().fit() == Fit.CEIL && ((g.inH() - g.kH()) % g.strideH() != 0
                || (g.inW() - g.kW()) % g.strideW() != 0)) {
            throw new IllegalArgumentException("ONNX export: LpPool2d '" + name + "' uses fit ceil with windows"
                    + " hanging over the edge, which Retina scales as if full (as PyTorch does) and ONNX does not");
        }
        e.node("LpPool", name, names(x), name, ints("kernel_shape", g.kH(), g.kW()),
                ints("strides", g.strideH(), g.strideW()), ints("pads", 0, 0, g.padBottom(), g.padRight()),
                integer("p", (long) power));
    }

    /** A depthwise convolution with the fixed Gaussian weights: exact where no window is renormalized (ceil). */
    private static void gaussian(OnnxExporter e, String name, String x, GaussianPool2d p, int channels) {
        if (p.settings().window().fit() == Fit.CEIL) {
            throw new IllegalArgumentException("ONNX export: GaussianPool2d '" + name + "' uses fit ceil, whose"
                    + " renormalized edge windows have no ONNX equivalent");
        }
        ConvGeometry g = p.geometry();
        float[] w = p.weights();
        float[] all = new float[channels * w.length];
        for (int ch = 0; ch < channels; ch++) {
            System.arraycopy(w, 0, all, ch * w.length, w.length);
        }
        String weight = e.floats(name + ".gaussian", Tensor.wrap(all, Shape.of(all.length)), channels, 1, g.kH(),
                g.kW());
        e.node("Conv", name, names(x, weight), name, concat(java.util.Arrays.copyOf(window(g, false), 4),
                integer("group", channels)));
    }

    private static void pad(OnnxExporter e, String name, String x, Pad2d.Config p) {
        String mode = p.mode() == PadMode.CONSTANT ? "constant" : p.mode() == PadMode.REFLECT ? "reflect" : "edge";
        List<String> ins = names(x, e.longs(name + ".pads", 0, 0, p.top(), p.left(), 0, 0, p.bottom(), p.right()));
        if (p.mode() == PadMode.CONSTANT) {
            ins.add(e.scalar(name + ".value", (float) p.value()));
        }
        e.node("Pad", name, ins, name, OnnxExporter.string("mode", mode));
    }

    /** A per-channel parameter shaped to broadcast over {@code (N, C, ...)}: {@code [C, 1, 1]}; or one value. */
    private static String perChannel(OnnxExporter e, String name, Parameter p, Shape sample) {
        if (p.size() == 1) {
            return e.floats(name + "." + p.name(), p.value(), 1);
        }
        long[] dims = new long[sample.rank()];
        java.util.Arrays.fill(dims, 1);
        dims[0] = p.size();
        return e.floats(name + "." + p.name(), p.value(), dims);
    }

    private static String bound(OnnxExporter e, String name, double v) {
        return Double.isInfinite(v) ? "" : e.scalar(name, (float) v);
    }

    private static void softplus(OnnxExporter e, Model.Node node, String x, Softplus.Config s) {
        String name = node.name();
        if (s.beta() * s.threshold() < 15) {
            throw unsupported(node, "its threshold " + s.threshold() + " makes it linear where ONNX's Softplus is"
                    + " not");
        }
        if (s.beta() == 1) {
            e.node("Softplus", name, names(x), name);
            return;
        }
        e.node("Mul", name + ".scaled", names(x, e.scalar(name + ".beta", (float) s.beta())), name + ".scaled");
        e.node("Softplus", name + ".softplus", names(name + ".scaled"), name + ".softplus");
        e.node("Div", name, names(name + ".softplus", name + ".beta"), name);
    }

    private static long[] batchFirst(Shape sample) {
        long[] d = new long[sample.rank() + 1];
        for (int i = 0; i < sample.rank(); i++) {
            d[i + 1] = sample.dim(i);
        }
        return d;
    }

    /** Reshape to {@code (N, g, C/g, ...)}, swap the two, reshape back: ShuffleNet's export. */
    private static void shuffle(OnnxExporter e, String name, String x, Shape sample, int groups) {
        int[] d = sample.dims();
        long[] split = new long[d.length + 2];
        split[1] = groups;
        split[2] = d[0] / groups;
        for (int i = 1; i < d.length; i++) {
            split[i + 2] = d[i];
        }
        int[] perm = new int[split.length];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = i == 1 ? 2 : i == 2 ? 1 : i;
        }
        e.node("Reshape", name + ".split", names(x, e.longs(name + ".split_shape", split)), name + ".split");
        e.node("Transpose", name + ".swap", names(name + ".split"), name + ".swap", ints("perm", perm));
        e.node("Reshape", name, names(name + ".swap", e.longs(name + ".shape", batchFirst(sample))), name);
    }
}
