package org.retina.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
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

/** The explicit map from a component's type name to the factory that rebuilds it from its config. */
public final class LayerRegistry {
    private static final Map<String, Function<Map<String, Object>, Component>> FACTORIES = factories();

    private LayerRegistry() {
    }

    private static Map<String, Function<Map<String, Object>, Component>> factories() {
        Map<String, Function<Map<String, Object>, Component>> m = new LinkedHashMap<>();
        m.put("Conv2d", Conv2d::fromConfig);
        m.put("Dense", Dense::fromConfig);
        m.put("Flatten", Flatten::fromConfig);
        m.put("LocallyConnected2d", LocallyConnected2d::fromConfig);
        m.put("ReLU", ReLU::fromConfig);
        m.put("LeakyReLU", LeakyReLU::fromConfig);
        m.put("HardSigmoid", HardSigmoid::fromConfig);
        m.put("HardSwish", HardSwish::fromConfig);
        m.put("SiLU", SiLU::fromConfig);
        m.put("Slice", Slice::fromConfig);
        m.put("Reduce", Reduce::fromConfig);
        m.put("Erf", Erf::fromConfig);
        m.put("LayerNorm", LayerNorm::fromConfig);
        m.put("Sigmoid", Sigmoid::fromConfig);
        m.put("Tanh", Tanh::fromConfig);
        m.put("Softmax", Softmax::fromConfig);
        m.put("LogSoftmax", LogSoftmax::fromConfig);
        m.put("BatchNorm1d", BatchNorm1d::fromConfig);
        m.put("BatchNorm2d", BatchNorm2d::fromConfig);
        m.put("ConvBlock", ConvBlock::fromConfig);
        m.put("Dropout", Dropout::fromConfig);
        m.put("Add", Add::fromConfig);
        m.put("Concat", Concat::fromConfig);
        m.put("Multiply", Multiply::fromConfig);
        m.put("Arithmetic", Arithmetic::fromConfig);
        m.put("MaxPool2d", MaxPool2d::fromConfig);
        m.put("AvgPool2d", AvgPool2d::fromConfig);
        m.put("LpPool2d", LpPool2d::fromConfig);
        m.put("GaussianPool2d", GaussianPool2d::fromConfig);
        m.put("GlobalAvgPool2d", GlobalAvgPool2d::fromConfig);
        m.put("GlobalMaxPool2d", GlobalMaxPool2d::fromConfig);
        m.put("LocalResponseNorm", LocalResponseNorm::fromConfig);
        m.put("Pad2d", Pad2d::fromConfig);
        m.put("PReLU", PReLU::fromConfig);
        m.put("ELU", ELU::fromConfig);
        m.put("SELU", SELU::fromConfig);
        m.put("Softplus", Softplus::fromConfig);
        m.put("Softsign", Softsign::fromConfig);
        m.put("Clip", Clip::fromConfig);
        m.put("Scale", Scale::fromConfig);
        m.put("Shift", Shift::fromConfig);
        m.put("Reshape", Reshape::fromConfig);
        m.put("ChannelShuffle", ChannelShuffle::fromConfig);
        return Collections.unmodifiableMap(m);
    }

    /** Rebuilds a component of type {@code type} from {@code config}. */
    public static Component create(String type, Map<String, Object> config) {
        Function<Map<String, Object>, Component> f = FACTORIES.get(type);
        if (f == null) {
            throw new IllegalArgumentException("layer type '" + type + "' is unknown; known types: "
                    + String.join(", ", FACTORIES.keySet()));
        }
        return f.apply(config);
    }

    /** The component types {@link #create} knows, as written in model files. */
    public static Set<String> types() {
        return FACTORIES.keySet();
    }
}
