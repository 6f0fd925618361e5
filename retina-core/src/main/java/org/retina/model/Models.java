package org.retina.model;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.retina.nn.AvgPool2d;
import org.retina.nn.BatchNorm2d;
import org.retina.nn.Conv2d;
import org.retina.nn.Dense;
import org.retina.nn.Dropout;
import org.retina.nn.Flatten;
import org.retina.nn.GaussianPool2d;
import org.retina.nn.Layer;
import org.retina.nn.LeakyReLU;
import org.retina.nn.LogSoftmax;
import org.retina.nn.LpPool2d;
import org.retina.nn.MaxPool2d;
import org.retina.nn.ReLU;
import org.retina.nn.Sigmoid;
import org.retina.nn.Softmax;
import org.retina.nn.Tanh;
import org.retina.tensor.Parameter;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/** Transformations of built models: new models that reuse their weights. */
public final class Models {

    /** Layers that treat every position alike (windows or pixels): they slide over a larger image unchanged. */
    private static final Map<String, Function<Map<String, Object>, Layer>> SPATIAL = Map.of(
            "Conv2d", Conv2d::fromConfig, "MaxPool2d", MaxPool2d::fromConfig, "AvgPool2d", AvgPool2d::fromConfig,
            "LpPool2d", LpPool2d::fromConfig, "GaussianPool2d", GaussianPool2d::fromConfig,
            "BatchNorm2d", BatchNorm2d::fromConfig);
    /** Layers that act on each value, or on the channels of each pixel: they may also follow the dense layers. */
    private static final Map<String, Function<Map<String, Object>, Layer>> POINTWISE = Map.of(
            "ReLU", ReLU::fromConfig, "LeakyReLU", LeakyReLU::fromConfig, "Sigmoid", Sigmoid::fromConfig,
            "Tanh", Tanh::fromConfig, "Softmax", Softmax::fromConfig, "LogSoftmax", LogSoftmax::fromConfig,
            "Dropout", Dropout::fromConfig);

    private Models() {
    }

    /**
     * The fully convolutional twin of a built network (cs231n's "converting FC layers to CONV layers"), built for
     * the larger per-sample {@code input}: the Flatten that turns a {@code (C, H, W)} volume into features is
     * dropped, the first Dense after it becomes a convolution with an {@code H x W} kernel over {@code C}
     * channels (its {@code [out, C*H*W]} weights are already {@code [out, C, H, W]} in channel-major order), later
     * Dense layers become 1x1 convolutions, and every other layer is kept with its weights and running
     * statistics. The result gives a map of class scores: position {@code (i, j)} is the original network applied
     * to the crop at {@code (i*stride, j*stride)}, {@code stride} being the product of the strides, exactly where
     * no layer pads (padding zeros the crop's borders, which the larger image fills). Node names are kept.
     *
     * @throws IllegalArgumentException naming the first layer that cannot slide (locally connected, global
     *                                  pooling, 1-D batch norm) or a dense layer that reads no flattened volume
     */
    public static Sequential toFullyConvolutional(Sequential model, Shape input) {
        Shape trained = model.inputShape();
        if (input.rank() != 3 || trained.rank() != 3 || input.dim(0) != trained.dim(0)) {
            throw new IllegalArgumentException("toFullyConvolutional: the model reads " + trained + ", the new input"
                    + " is " + input + "; expected two (channels, height, width) shapes with the same channels");
        }
        Sequential.Builder b = Sequential.builder();
        Shape volume = null;
        String flatten = null;
        boolean converted = false;
        for (Model.Node n : model.nodes()) {
            Layer layer = (Layer) n.component();
            String type = layer.type();
            if (layer instanceof Flatten && volume == null && model.shapeOf(n.inputs().getFirst()).rank() == 3) {
                volume = model.shapeOf(n.inputs().getFirst());
                flatten = n.name();
            } else if (layer instanceof Dense dense && volume != null) {
                int out = dense.settings().outFeatures();
                Conv2d conv = converted ? Conv2d.of(out, 1) : Conv2d.of(out, volume.dim(1), volume.dim(2));
                b.add(n.name(), conv.withBias(dense.settings().bias()));
                converted = true;
            } else if (POINTWISE.containsKey(type) || (volume == null && SPATIAL.containsKey(type))) {
                Function<Map<String, Object>, Layer> copy = POINTWISE.getOrDefault(type, SPATIAL.get(type));
                b.add(n.name(), copy.apply(layer.config()));
            } else {
                throw new IllegalArgumentException("toFullyConvolutional: layer '" + n.name() + "' (" + type
                        + ") cannot be converted: " + reason(layer, volume != null));
            }
        }
        if (flatten != null && !converted) {
            throw new IllegalArgumentException("toFullyConvolutional: Flatten '" + flatten + "' is followed by no"
                    + " Dense layer, so there is nothing to convert");
        }
        Sequential result = b.build();
        result.build(input);
        for (Model.Node n : result.nodes()) {
            copy(model.node(n.name()).component().parameters(), n.component().parameters());
            copy(model.node(n.name()).component().buffers(), n.component().buffers());
        }
        return result;
    }

    private static String reason(Layer layer, boolean afterFlatten) {
        return switch (layer.type()) {
            case "LocallyConnected2d" -> "its weights differ from position to position, so it cannot slide";
            case "GlobalAvgPool2d", "GlobalMaxPool2d" -> "it pools the whole plane, so it cannot slide";
            case "Dense" -> "it reads features that no Flatten of a (C, H, W) volume produced";
            default -> afterFlatten
                    ? "after the Flatten only Dense layers, activations and dropout can become convolutions"
                    : "only convolutions, pools, 2-D batch norm, activations and dropout slide over a larger image";
        };
    }

    private static void copy(List<Parameter> from, List<Parameter> to) {
        for (int i = 0; i < to.size(); i++) {
            Tensor dst = to.get(i).value();
            dst.copyFrom(from.get(i).value().reshape(dst.shape())); // a dense matrix as the kernel of a convolution
        }
    }
}
