package org.retina.nn;

import java.util.Locale;
import org.retina.tensor.Init;
import org.retina.tensor.Rng;
import org.retina.tensor.Tensor;

/**
 * How a layer's weights start (Keras's {@code kernel_initializer}): PyTorch's default (uniform in
 * +-1/sqrt(fanIn), bias too), Glorot/Xavier (suits tanh and sigmoid), or He/Kaiming with ReLU's gain; all but
 * the default start the bias at zero.
 */
public enum WeightInit {
    /** PyTorch's default: weight and bias uniform in +-1/sqrt(fanIn). */
    DEFAULT,
    /** Glorot uniform, bound sqrt(6 / (fanIn + fanOut)); bias 0. */
    XAVIER_UNIFORM,
    /** Glorot normal, std sqrt(2 / (fanIn + fanOut)); bias 0. */
    XAVIER_NORMAL,
    /** He uniform with ReLU's gain, bound sqrt(6 / fanIn); bias 0. */
    KAIMING_UNIFORM,
    /** He normal with ReLU's gain, std sqrt(2 / fanIn); bias 0. */
    KAIMING_NORMAL;

    /** Fills {@code weight} (and {@code bias}, which may be null) for the given fans. */
    public void apply(Tensor weight, Tensor bias, int fanIn, int fanOut, Rng rng) {
        switch (this) {
            case DEFAULT -> Init.pytorchDefault(weight, bias, fanIn, rng);
            case XAVIER_UNIFORM -> Init.xavierUniform(weight, fanIn, fanOut, 1.0, rng);
            case XAVIER_NORMAL -> Init.xavierNormal(weight, fanIn, fanOut, 1.0, rng);
            case KAIMING_UNIFORM -> Init.kaimingUniform(weight, fanIn, Init.RELU_GAIN, rng);
            case KAIMING_NORMAL -> Init.kaimingNormal(weight, fanIn, Init.RELU_GAIN, rng);
        }
        if (this != DEFAULT && bias != null) {
            Init.zeros(bias);
        }
    }

    /** The name in configs: {@code default}, {@code xavier-uniform}, ... */
    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The initialization whose {@link #key()} is {@code s}. */
    public static WeightInit parse(String s) {
        for (WeightInit w : values()) {
            if (w.key().equals(s)) {
                return w;
            }
        }
        throw new IllegalArgumentException("init: '" + s + "', expected default, xavier-uniform, xavier-normal,"
                + " kaiming-uniform or kaiming-normal");
    }
}
