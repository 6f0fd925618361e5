package org.retina.onnx;

import java.util.Arrays;
import java.util.stream.LongStream;

import org.retina.nn.AvgPool2d;
import org.retina.nn.BatchNorm1d;
import org.retina.nn.BatchNorm2d;
import org.retina.nn.Conv2d;
import org.retina.nn.Fit;
import org.retina.nn.Flatten;
import org.retina.nn.GlobalAvgPool2d;
import org.retina.nn.GlobalMaxPool2d;
import org.retina.nn.Layer;
import org.retina.nn.LocalResponseNorm;
import org.retina.nn.LpPool2d;
import org.retina.nn.MaxPool2d;
import org.retina.nn.Pad2d;
import org.retina.nn.Reduce;
import org.retina.nn.Padding;
import org.retina.onnx.proto.Onnx.NodeProto;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/** The import of windowed and normalizing ops: Conv, the pools, BatchNormalization, LRN and Pad. */
final class LayerOps {
    private LayerOps() {
    }

    /** Adds the layer for {@code n}; false when the op is not one of these. */
    static boolean handle(OnnxImporter ctx, NodeProto n, Attributes a) {
        switch (n.getOpType()) {
            case "Conv" -> conv(ctx, n, a);
            case "MaxPool", "AveragePool", "LpPool" -> pool(ctx, n, a);
            case "GlobalAveragePool" -> ctx.define(n, ctx.add(n, GlobalAvgPool2d.of(), image(ctx, n)));
            case "GlobalMaxPool" -> ctx.define(n, ctx.add(n, GlobalMaxPool2d.of(), image(ctx, n)));
            case "BatchNormalization" -> batchNorm(ctx, n, a);
            case "LRN" -> {
                long size = a.integer("size", 0);
                if (size < 1 || size % 2 == 0) {
                    throw OnnxException.attribute(n, "size", "is " + size + "; Retina imports odd sizes only (for an"
                            + " even size ONNX's window lies one channel later than PyTorch's)");
                }
                Layer lrn = LocalResponseNorm.of((int) size).withAlpha(a.real("alpha", 1e-4))
                        .withBeta(a.real("beta", 0.75)).withK(a.real("bias", 1.0));
                ctx.define(n, ctx.add(n, lrn, ctx.live(n, 0)));
            }
            case "Pad" -> pad(ctx, n, a);
            case "ReduceMean", "ReduceMax", "ReduceSum" -> {
                if (!Norms.decomposedLayerNorm(ctx, n, a)) {
                    reduce(ctx, n, a);
                }
            }
            case "LayerNormalization" -> Norms.layerNormalization(ctx, n, a);
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Input 0 as a {@code (C, H, W)} sample: Retina's windows are 2-D. */
    /**
     * ReduceMean, ReduceSum and ReduceMax over any per-sample axes, with {@code keepdims} 0 or 1: over the spatial
     * axes [2, 3] of {@code (N, C, H, W)} (PyTorch's global average, {@code x.mean([2, 3])}) as global pooling,
     * flattened when the dims go; over other axes as a {@link Reduce} layer. The axes are an attribute before
     * opset 18 (13 for ReduceSum) and an input from then on; the batch axis is never reduced.
     */
    private static void reduce(OnnxImporter ctx, NodeProto n, Attributes a) {
        Value.Live x = ctx.live(n, 0);
        String op = n.getOpType();
        boolean fromInput = ctx.opset() >= (op.equals("ReduceSum") ? 13 : 18);
        long[] axes = fromInput ? (ctx.hasInput(n, 1) ? ctx.constant(n, 1).longs("axes") : null) : a.ints("axes");
        boolean keep = a.integer("keepdims", 1) != 0;
        if (fromInput && a.integer("noop_with_empty_axes", 0) != 0 && (axes == null || axes.length == 0)) {
            ctx.define(n, x); // no axes and noop: the identity
            return;
        }
        int rank = x.sample().rank() + 1;
        long[] sorted = axes == null || axes.length == 0 ? LongStream.range(0, rank).toArray()
                : Arrays.stream(axes).map(v -> v < 0 ? v + rank : v).sorted().distinct().toArray();
        if (sorted[0] < 1 || sorted[sorted.length - 1] >= rank) {
            throw OnnxException.attribute(n, "axes", "is " + (axes == null ? "absent (every axis)"
                    : Arrays.toString(axes)) + " on " + x.sample().toBatchString() + "; Retina reduces"
                    + " per-sample axes (1.." + (rank - 1) + "), never the batch");
        }
        if (rank == 4 && Arrays.equals(sorted, new long[] {2, 3}) && !op.equals("ReduceSum")) {
            Layer pool = op.equals("ReduceMean") ? GlobalAvgPool2d.of() : GlobalMaxPool2d.of();
            Value.Live pooled = ctx.add(n, pool, x);
            ctx.define(n, keep ? pooled : ctx.add(n, Flatten.of(), pooled));
            return;
        }
        Reduce.Op r = switch (op) {
            case "ReduceMean" -> Reduce.Op.MEAN;
            case "ReduceSum" -> Reduce.Op.SUM;
            default -> Reduce.Op.MAX;
        };
        ctx.define(n, ctx.add(n, Reduce.of(r, keep, Arrays.stream(sorted).mapToInt(v -> (int) v - 1)
                .toArray()), x));
    }

    private static Value.Live image(OnnxImporter ctx, NodeProto n) {
        Value.Live x = ctx.live(n, 0);
        if (x.sample().rank() != 3) {
            throw OnnxException.of(n, "input " + x.sample().toBatchString() + " is not (N, C, H, W); Retina imports"
                    + " 2-D windows only");
        }
        return x;
    }

    private static int[] pair(NodeProto n, Attributes a, String name, int[] dflt) {
        int[] v = a.ints(name, dflt);
        if (v == null || v.length != 2) {
            throw OnnxException.attribute(n, name, (v == null ? "is missing" : "has " + v.length + " values")
                    + "; expected 2 (height, width)");
        }
        return v;
    }

    /** The padding from {@code pads} ({@code [top, left, bottom, right]}) or {@code auto_pad}. */
    private static Padding padding(NodeProto n, Attributes a, Shape in, int[] k, int[] s, int[] d) {
        String auto = a.string("auto_pad", "NOTSET");
        int[] p = a.ints("pads", null);
        if (p != null && (p.length != 4 || p[0] < 0 || p[1] < 0 || p[2] < 0 || p[3] < 0)) {
            throw OnnxException.attribute(n, "pads", Arrays.toString(p) + ", expected 4 sizes >= 0");
        }
        return switch (auto) {
            case "NOTSET" -> p == null ? Padding.VALID : Padding.of(p[0], p[2], p[1], p[3]);
            case "VALID" -> Padding.VALID;
            case "SAME_UPPER", "SAME_LOWER" -> {
                int[] h = same(in.dim(1), k[0], s[0], d[0], auto.equals("SAME_UPPER"));
                int[] w = same(in.dim(2), k[1], s[1], d[1], auto.equals("SAME_UPPER"));
                yield Padding.of(h[0], h[1], w[0], w[1]);
            }
            default -> throw OnnxException.attribute(n, "auto_pad", "is '" + auto
                    + "', expected NOTSET, VALID, SAME_UPPER or SAME_LOWER");
        };
    }

    /** ONNX's SAME padding of one axis: {@code out = ceil(in / s)}, the odd pixel at the end (upper) or start. */
    private static int[] same(int size, int k, int s, int d, boolean upper) {
        int out = (size + s - 1) / s;
        int total = Math.max((out - 1) * s + d * (k - 1) + 1 - size, 0);
        return upper ? new int[] {total / 2, total - total / 2} : new int[] {total - total / 2, total / 2};
    }

    private static void conv(OnnxImporter ctx, NodeProto n, Attributes a) {
        Value.Live x = image(ctx, n);
        Const w = ctx.constant(n, 1);
        if (w.rank() != 4) {
            throw OnnxException.of(n, "weight of dims " + Arrays.toString(w.dims()) + "; Retina imports"
                    + " 2-D convolutions (4-D weights)");
        }
        int out = (int) w.dims()[0];
        int[] k = pair(n, a, "kernel_shape", new int[] {(int) w.dims()[2], (int) w.dims()[3]});
        if (k[0] != w.dims()[2] || k[1] != w.dims()[3]) {
            throw OnnxException.attribute(n, "kernel_shape", Arrays.toString(k) + " does not match the"
                    + " weight's " + Arrays.toString(w.dims()));
        }
        int[] s = pair(n, a, "strides", new int[] {1, 1});
        int[] d = pair(n, a, "dilations", new int[] {1, 1});
        boolean bias = ctx.hasInput(n, 2);
        Conv2d conv = Conv2d.of(out, k[0], k[1]).withInChannels(x.sample().dim(0)).withStride(s[0], s[1])
                .withDilation(d[0], d[1]).withGroups((int) a.integer("group", 1))
                .withPadding(padding(n, a, x.sample(), k, s, d)).withBias(bias).withFit(Fit.FLOOR);
        Tensor wt = w.tensor(Shape.of(out, (int) w.dims()[1], k[0], k[1]));
        ctx.define(n, bias ? ctx.add(n, conv, x, wt, ctx.constant(n, 2).tensor(Shape.of(out)))
                : ctx.add(n, conv, x, wt));
    }

    private static void pool(OnnxImporter ctx, NodeProto n, Attributes a) {
        Value.Live x = image(ctx, n);
        int[] k = pair(n, a, "kernel_shape", null);
        int[] s = pair(n, a, "strides", new int[] {1, 1});
        int[] d = pair(n, a, "dilations", new int[] {1, 1});
        Fit fit = a.integer("ceil_mode", 0) != 0 ? Fit.CEIL : Fit.FLOOR;
        Padding p = padding(n, a, x.sample(), k, s, d);
        Layer layer = switch (n.getOpType()) {
            case "MaxPool" -> {
                a.require("storage_order", 0, "Retina stores row-major only");
                yield MaxPool2d.of(k[0], k[1]).withStride(s[0], s[1]).withDilation(d[0], d[1]).withPadding(p)
                        .withFit(fit);
            }
            case "AveragePool" -> AvgPool2d.of(k[0], k[1]).withStride(s[0], s[1]).withDilation(d[0], d[1])
                    .withPadding(p).withFit(fit).withCountIncludePad(a.integer("count_include_pad", 0) != 0);
            default -> {
                long power = a.integer("p", 2);
                if (power < 2 || power % 2 != 0) {
                    throw OnnxException.attribute(n, "p", "is " + power + "; Retina imports even powers only (ONNX"
                            + " takes |x|^p, Retina x^p with its sign, which agree for even p)");
                }
                if (d[0] != 1 || d[1] != 1) {
                    throw OnnxException.attribute(n, "dilations", "LpPool with dilation is not supported");
                }
                if (!p.equals(Padding.VALID)) {
                    // zeros add nothing to a sum of powers: padding first is the same
                    x = ctx.add(n, Pad2d.zeros(p.top(), p.bottom(), p.left(), p.right()), x);
                }
                yield LpPool2d.of(k[0], k[1]).withNormType(power).withStride(s[0], s[1]).withFit(fit);
            }
        };
        ctx.define(n, ctx.add(n, layer, x));
    }

    private static void batchNorm(OnnxImporter ctx, NodeProto n, Attributes a) {
        Value.Live x = ctx.live(n, 0);
        double eps = a.real("epsilon", 1e-5);
        // ONNX keeps momentum for the running statistic, PyTorch and Retina for the batch's
        double momentum = 1 - a.real("momentum", 0.9);
        if (ctx.opset() < 7) {
            a.integer("is_test", 0);
        }
        if (ctx.opset() < 9) {
            a.require("spatial", 1, "Retina normalizes per channel (spatial 1)");
        }
        a.require("training_mode", 0, "Retina imports inference graphs (training_mode 0)");
        int c = x.sample().rank() > 0 ? x.sample().dim(0) : 0;
        Layer bn = switch (x.sample().rank()) {
            case 3 -> BatchNorm2d.of().withNumFeatures(c).withEps(eps).withMomentum(momentum);
            case 1 -> BatchNorm1d.of().withNumFeatures(c).withEps(eps).withMomentum(momentum);
            default -> throw OnnxException.of(n, "input " + x.sample().toBatchString() + "; Retina normalizes"
                    + " (N, C, H, W) or (N, C)");
        };
        Shape ch = Shape.of(c);
        ctx.define(n, ctx.add(n, bn, x, ctx.constant(n, 1).tensor(ch), ctx.constant(n, 2).tensor(ch),
                ctx.constant(n, 3).tensor(ch), ctx.constant(n, 4).tensor(ch)));
    }

    private static void pad(OnnxImporter ctx, NodeProto n, Attributes a) {
        Value.Live x = image(ctx, n);
        String mode = a.string("mode", "constant");
        long[] pads;
        double value;
        if (ctx.opset() < 11) {
            pads = a.ints("pads");
            value = a.real("value", 0);
        } else {
            pads = ctx.constant(n, 1).longs("pads");
            value = ctx.hasInput(n, 2) ? ctx.constant(n, 2).scalar("constant_value") : 0;
            if (ctx.hasInput(n, 3)) {
                long[] axes = ctx.constant(n, 3).longs("axes");
                long[] all = new long[8];
                for (int i = 0; i < axes.length; i++) {
                    int ax = ShapeOps.axis((int) axes[i], 4);
                    all[ax] = pads[i];
                    all[ax + 4] = pads[i + axes.length];
                }
                pads = all;
            }
        }
        if (pads == null || pads.length != 8 || pads[0] != 0 || pads[1] != 0 || pads[4] != 0 || pads[5] != 0) {
            throw OnnxException.attribute(n, "pads", (pads == null ? "is missing" : Arrays.toString(pads))
                    + "; Retina pads height and width only (8 values, zero for batch and channels)");
        }
        int top = (int) pads[2], left = (int) pads[3], bottom = (int) pads[6], right = (int) pads[7];
        if (top < 0 || left < 0 || bottom < 0 || right < 0) {
            throw OnnxException.attribute(n, "pads", Arrays.toString(pads) + " crops; expected sizes >= 0");
        }
        Layer layer = switch (mode) {
            case "constant" -> Pad2d.constant(top, bottom, left, right, value);
            case "reflect" -> Pad2d.reflect(top, bottom, left, right);
            case "edge" -> Pad2d.edge(top, bottom, left, right);
            default -> throw OnnxException.attribute(n, "mode", "is '" + mode + "', expected constant, reflect or"
                    + " edge");
        };
        ctx.define(n, top + left + bottom + right == 0 ? x : ctx.add(n, layer, x));
    }
}
