package org.retina.optim;

import java.util.Map;
import org.retina.kernel.OptimKernels;
import org.retina.tensor.Parameter;

/** Stochastic gradient descent with momentum, dampening, Nesterov and L2 weight decay, as PyTorch's SGD. */
public final class Sgd extends Optimizer {

    /** SGD's settings. */
    public record Config(double learningRate, double momentum, double dampening, boolean nesterov,
                         double weightDecay) implements OptimizerConfig {
        /** Checks that the settings are not negative and that Nesterov has momentum and no dampening. */
        public Config {
            OptimizerConfig.checkLearningRate("Sgd", learningRate);
            OptimizerConfig.checkNotNegative("Sgd", "momentum", momentum);
            OptimizerConfig.checkNotNegative("Sgd", "dampening", dampening);
            OptimizerConfig.checkNotNegative("Sgd", "weight decay", weightDecay);
            if (nesterov && (momentum <= 0 || dampening != 0)) {
                throw new IllegalArgumentException("Sgd: Nesterov needs momentum > 0 and dampening 0");
            }
        }

        /** Plain SGD at rate {@code lr}: no momentum, dampening or weight decay, as PyTorch's defaults. */
        public static Config of(double lr) {
            return new Config(lr, 0, 0, false, 0);
        }

        /** With momentum {@code m}, which keeps a velocity buffer per parameter. */
        public Config withMomentum(double m) {
            return new Config(learningRate, m, dampening, nesterov, weightDecay);
        }

        /** With dampening {@code d}: the new gradient enters the momentum buffer scaled by {@code 1 - d}. */
        public Config withDampening(double d) {
            return new Config(learningRate, momentum, d, nesterov, weightDecay);
        }

        /** With or without Nesterov momentum, which needs momentum above 0 and dampening 0. */
        public Config withNesterov(boolean n) {
            return new Config(learningRate, momentum, dampening, n, weightDecay);
        }

        /** With L2 weight decay {@code wd}, added to the gradient as {@code wd * param}. */
        public Config withWeightDecay(double wd) {
            return new Config(learningRate, momentum, dampening, nesterov, wd);
        }

        @Override
        public Config withLearningRate(double lr) {
            return new Config(lr, momentum, dampening, nesterov, weightDecay);
        }

        @Override
        public Sgd create(Map<String, Parameter> params) {
            return new Sgd(params, this);
        }

        @Override
        public String name() {
            return "sgd";
        }
    }

    private final Config config;

    /** An SGD optimizer over {@code params} (path to parameter, in model order). */
    public Sgd(Map<String, Parameter> params, Config config) {
        super(params, config.learningRate);
        this.config = config;
    }

    @Override
    protected void update(Parameter p, Map<String, float[]> slots, long t) {
        float[] buf = config.momentum > 0 ? slot(slots, "momentum_buffer", p) : null;
        OptimKernels.sgd(p.value().data(), p.grad().data(), buf, p.size(), learningRate(), config.momentum,
                config.dampening, config.nesterov, config.weightDecay, t == 1);
    }

    @Override
    public int slotsPerParameter() {
        return config.momentum > 0 ? 1 : 0;
    }

    @Override
    public Config config() {
        return config.withLearningRate(learningRate());
    }
}
