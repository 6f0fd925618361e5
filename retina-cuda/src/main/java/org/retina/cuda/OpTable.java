package org.retina.cuda;

import java.util.List;
import org.retina.model.Model;
import org.retina.nn.AvgPool2d;
import org.retina.nn.BatchNorm1d;
import org.retina.nn.BatchNorm2d;
import org.retina.nn.Component;
import org.retina.nn.Concat;
import org.retina.nn.Conv2d;
import org.retina.nn.Dense;
import org.retina.nn.Dropout;
import org.retina.nn.Flatten;
import org.retina.nn.GlobalAvgPool2d;
import org.retina.nn.GlobalMaxPool2d;
import org.retina.nn.LeakyReLU;
import org.retina.nn.LogSoftmax;
import org.retina.nn.MaxPool2d;
import org.retina.nn.ReLU;
import org.retina.nn.Reshape;
import org.retina.nn.Sigmoid;
import org.retina.nn.Softmax;
import org.retina.nn.Tanh;
import org.retina.tensor.Shape;

/**
 * What runs each layer on the GPU: the one switch of this module over the core's layer types (the core cannot know
 * CUDA), a device op where one exists and supports the layer's settings, else a {@link HostOp} that runs the layer
 * on the CPU between copies.
 */
final class OpTable {
    private OpTable() {
    }

    /** The op of {@code node} in {@code model}, compiled for {@code engine}. */
    static Op compile(Model model, Model.Node node, CudaEngine engine) {
        Component c = node.component();
        List<Shape> in = node.inputs().stream().map(model::shapeOf).toList();
        Shape x = in.getFirst();
        Shape y = model.shapeOf(node.name());
        String n = node.name();
        return switch (c) {
            case Conv2d conv when ConvOp.supports(conv) -> new ConvOp(n, conv, engine);
            case Dense d -> new DenseOp(n, d);
            case BatchNorm2d b when BatchNormOp.supports(b.settings().eps()) -> new BatchNormOp(n, b, x,
                    b.settings().eps(), b.settings().momentum(), b.settings().affine() ? b.weight() : null,
                    b.settings().affine() ? b.bias() : null, b.runningMean(), b.runningVar(), engine);
            case BatchNorm1d b when x.rank() == 1 && BatchNormOp.supports(b.settings().eps()) -> new BatchNormOp(n, b,
                    x, b.settings().eps(), b.settings().momentum(), b.settings().affine() ? b.weight() : null,
                    b.settings().affine() ? b.bias() : null, b.runningMean(), b.runningVar(), engine);
            case ReLU r -> new Elementwise(n, c, x, y, Elementwise.Kind.RELU, 0);
            case LeakyReLU l -> new Elementwise(n, c, x, y, Elementwise.Kind.LEAKY_RELU,
                    (float) l.settings().negativeSlope());
            case Sigmoid s -> new Elementwise(n, c, x, y, Elementwise.Kind.SIGMOID, 0);
            case Tanh t -> new Elementwise(n, c, x, y, Elementwise.Kind.TANH, 0);
            case Flatten f -> new Elementwise(n, c, x, y, Elementwise.Kind.COPY, 0);
            case Reshape r -> new Elementwise(n, c, x, y, Elementwise.Kind.COPY, 0);
            case Dropout d -> new Elementwise(n, c, x, y, Elementwise.Kind.DROPOUT, (float) d.settings().p());
            case Softmax s when x.rank() == 1 -> new Elementwise(n, c, x, y, Elementwise.Kind.SOFTMAX, 0);
            case LogSoftmax s when x.rank() == 1 -> new Elementwise(n, c, x, y, Elementwise.Kind.LOG_SOFTMAX, 0);
            case GlobalAvgPool2d g -> new Elementwise(n, c, x, y, Elementwise.Kind.GLOBAL_AVG, 0);
            case GlobalMaxPool2d g -> new Elementwise(n, c, x, y, Elementwise.Kind.GLOBAL_MAX, 0);
            case MaxPool2d m -> new PoolOp(n, c, m.geometry(), true, false);
            case AvgPool2d a -> new PoolOp(n, c, a.geometry(), false, a.settings().countIncludePad());
            case org.retina.nn.Add a -> new MergeOp(n, c, in, y, false);
            case Concat k -> new MergeOp(n, c, in, y, true);
            default -> new HostOp(n, c, in, y);
        };
    }
}
