package org.retina.optim;

import java.util.Locale;
import java.util.Map;
import org.retina.tensor.Parameter;

/** An optimizer's kind and settings, from which it is created for a model's parameters. */
public sealed interface OptimizerConfig extends java.io.Serializable permits Sgd.Config, Adam.Config, RmsProp.Config {

    /** The optimizer over {@code params} (path to parameter, in model order). */
    Optimizer create(Map<String, Parameter> params);

    /** The base learning rate. */
    double learningRate();

    /** This config with another learning rate. */
    OptimizerConfig withLearningRate(double lr);

    /** The short name: {@code sgd}, {@code adam}, {@code adamw}, {@code rmsprop}. */
    String name();

    /**
     * Refuses a learning rate that is negative, NaN or infinite, naming the optimizer: every config's constructor
     * calls it, as PyTorch's optimizers check theirs.
     */
    static void checkLearningRate(String optimizer, double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException(optimizer + ": learning rate " + lr + ", expected a finite number >= 0");
        }
    }

    /** Refuses a setting that is NaN or negative, naming it. */
    static void checkNotNegative(String optimizer, String setting, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(optimizer + ": " + setting + " " + v + ", expected a finite number"
                    + " >= 0");
        }
    }

    /** The optimizer a CLI name stands for, with PyTorch's defaults and the given learning rate. */
    static OptimizerConfig named(String name, double lr) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "sgd" -> Sgd.Config.of(lr);
            case "momentum" -> Sgd.Config.of(lr).withMomentum(0.9);
            case "nesterov" -> Sgd.Config.of(lr).withMomentum(0.9).withNesterov(true);
            case "adam" -> Adam.Config.of(lr);
            case "adamw" -> Adam.Config.adamW(lr, 0.01);
            case "rmsprop" -> RmsProp.Config.of(lr);
            default -> throw new IllegalArgumentException("optimizer '" + name
                    + "' is unknown; expected sgd, momentum, nesterov, adam, adamw or rmsprop");
        };
    }
}
