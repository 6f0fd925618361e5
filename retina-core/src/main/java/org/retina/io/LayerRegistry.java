package org.retina.io;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import org.retina.nn.Flatten;
import org.retina.nn.GaussianPool2d;
import org.retina.nn.GlobalAvgPool2d;
import org.retina.nn.GlobalMaxPool2d;
import org.retina.nn.HardSigmoid;
import org.retina.nn.HardSwish;
import org.retina.nn.LeakyReLU;
import org.retina.nn.LocalResponseNorm;
import org.retina.nn.LocallyConnected2d;
import org.retina.nn.LogSoftmax;
import org.retina.nn.LpPool2d;
import org.retina.nn.MaxPool2d;
import org.retina.nn.Multiply;
import org.retina.nn.PReLU;
import org.retina.nn.Pad2d;
import org.retina.nn.ReLU;
import org.retina.nn.Reshape;
import org.retina.nn.SELU;
import org.retina.nn.Scale;
import org.retina.nn.Shift;
import org.retina.nn.Erf;
import org.retina.nn.LayerNorm;
import org.retina.nn.Reduce;
import org.retina.nn.SiLU;
import org.retina.nn.Slice;
import org.retina.nn.Sigmoid;
import org.retina.nn.Softmax;
import org.retina.nn.Softplus;
import org.retina.nn.Softsign;
import org.retina.nn.Tanh;

/**
 * The explicit table from a component's type name to the factory that rebuilds it from its config: a switch, not a
 * map of method references, because each reference would spin a class at start-up (forty of them for one model
 * file read by a cold {@code retina predict}).
 */
public final class LayerRegistry {
    /** The type names, in the order an error lists them. */
    private static final Set<String> TYPES = Collections.unmodifiableSet(new LinkedHashSet<>(List.of(
            "Conv2d", "Dense", "Flatten", "LocallyConnected2d", "ReLU", "LeakyReLU", "HardSigmoid", "HardSwish",
            "SiLU", "Slice", "Reduce", "Erf", "LayerNorm", "Sigmoid", "Tanh", "Softmax", "LogSoftmax", "BatchNorm1d",
            "BatchNorm2d", "ConvBlock", "Dropout", "Add", "Concat", "Multiply", "Arithmetic", "MaxPool2d",
            "AvgPool2d", "LpPool2d", "GaussianPool2d", "GlobalAvgPool2d", "GlobalMaxPool2d", "LocalResponseNorm",
            "Pad2d", "PReLU", "ELU", "SELU", "Softplus", "Softsign", "Clip", "Scale", "Shift", "Reshape",
            "ChannelShuffle")));

    private LayerRegistry() {
    }

    /** Rebuilds a component of type {@code type} from {@code config}. */
    public static Component create(String type, Map<String, Object> config) {
        return switch (type) {
            case "Conv2d" -> Conv2d.fromConfig(config);
            case "Dense" -> Dense.fromConfig(config);
            case "Flatten" -> Flatten.fromConfig(config);
            case "LocallyConnected2d" -> LocallyConnected2d.fromConfig(config);
            case "ReLU" -> ReLU.fromConfig(config);
            case "LeakyReLU" -> LeakyReLU.fromConfig(config);
            case "HardSigmoid" -> HardSigmoid.fromConfig(config);
            case "HardSwish" -> HardSwish.fromConfig(config);
            case "SiLU" -> SiLU.fromConfig(config);
            case "Slice" -> Slice.fromConfig(config);
            case "Reduce" -> Reduce.fromConfig(config);
            case "Erf" -> Erf.fromConfig(config);
            case "LayerNorm" -> LayerNorm.fromConfig(config);
            case "Sigmoid" -> Sigmoid.fromConfig(config);
            case "Tanh" -> Tanh.fromConfig(config);
            case "Softmax" -> Softmax.fromConfig(config);
            case "LogSoftmax" -> LogSoftmax.fromConfig(config);
            case "BatchNorm1d" -> BatchNorm1d.fromConfig(config);
            case "BatchNorm2d" -> BatchNorm2d.fromConfig(config);
            case "ConvBlock" -> ConvBlock.fromConfig(config);
            case "Dropout" -> Dropout.fromConfig(config);
            case "Add" -> Add.fromConfig(config);
            case "Concat" -> Concat.fromConfig(config);
            case "Multiply" -> Multiply.fromConfig(config);
            case "Arithmetic" -> Arithmetic.fromConfig(config);
            case "MaxPool2d" -> MaxPool2d.fromConfig(config);
            case "AvgPool2d" -> AvgPool2d.fromConfig(config);
            case "LpPool2d" -> LpPool2d.fromConfig(config);
            case "GaussianPool2d" -> GaussianPool2d.fromConfig(config);
            case "GlobalAvgPool2d" -> GlobalAvgPool2d.fromConfig(config);
            case "GlobalMaxPool2d" -> GlobalMaxPool2d.fromConfig(config);
            case "LocalResponseNorm" -> LocalResponseNorm.fromConfig(config);
            case "Pad2d" -> Pad2d.fromConfig(config);
            case "PReLU" -> PReLU.fromConfig(config);
            case "ELU" -> ELU.fromConfig(config);
            case "SELU" -> SELU.fromConfig(config);
            case "Softplus" -> Softplus.fromConfig(config);
            case "Softsign" -> Softsign.fromConfig(config);
            case "Clip" -> Clip.fromConfig(config);
            case "Scale" -> Scale.fromConfig(config);
            case "Shift" -> Shift.fromConfig(config);
            case "Reshape" -> Reshape.fromConfig(config);
            case "ChannelShuffle" -> ChannelShuffle.fromConfig(config);
            default -> throw new IllegalArgumentException("layer type '" + type + "' is unknown; known types: "
                    + String.join(", ", TYPES));
        };
    }

    /** The component types {@link #create} knows, as written in model files. */
    public static Set<String> types() {
        return TYPES;
    }
}
