package org.retina.optim;

import java.util.Map;
import org.retina.kernel.OptimKernels;
import org.retina.tensor.Parameter;

/** RMSprop with PyTorch's rule (eps outside the square root), optional momentum and centring. */
public final class RmsProp extends Optimizer {

    /** RMSprop's settings. */
    public record Config(double learningRate, double alpha, double eps, double weightDecay, double momentum,
                         boolean centered) implements OptimizerConfig {
        /** Checks that alpha is in [0, 1) and that eps, weight decay and momentum are not negative. */
        public Config {
            OptimizerConfig.checkLearningRate("RmsProp", learningRate);
            if (!(alpha >= 0 && alpha < 1)) {
                throw new IllegalArgumentException("RmsProp: alpha " + alpha + ", expected a number in [0, 1)");
            }
            OptimizerConfig.checkNotNegative("RmsProp", "eps", eps);
            OptimizerConfig.checkNotNegative("RmsProp", "weight decay", weightDecay);
            OptimizerConfig.checkNotNegative("RmsProp", "momentum", momentum);
        }

        /** PyTorch's defaults: alpha 0.99, eps 1e-8. */
        public static Config of(double lr) {
            return new Config(lr, 0.99, 1e-8, 0, 0, false);
        }

        /** With the decay rate {@code a} of the squared-gradient average (0.99 by default). */
        public Config withAlpha(double a) {
            return new Config(learningRate, a, eps, weightDecay, momentum, centered);
        }

        /** With {@code eps}, added to the denominator for stability (1e-8 by default). */
        public Config withEps(double e) {
            return new Config(learningRate, alpha, e, weightDecay, momentum, centered);
        }

        /** With momentum {@code m} on the scaled step; 0 keeps no momentum buffer. */
        public Config withMomentum(double m) {
            return new Config(learningRate, alpha, eps, weightDecay, m, centered);
        }

        /** With or without centring: the step is divided by the gradient's estimated deviation, not its RMS. */
        public Config withCentered(boolean c) {
            return new Config(learningRate, alpha, eps, weightDecay, momentum, c);
        }

        /** With L2 weight decay {@code wd}, added to the gradient as {@code wd * param}. */
        public Config withWeightDecay(double wd) {
            return new Config(learningRate, alpha, eps, wd, momentum, centered);
        }

        @Override
        public Config withLearningRate(double lr) {
            return new Config(lr, alpha, eps, weightDecay, momentum, centered);
        }

        @Override
        public RmsProp create(Map<String, Parameter> params) {
            return new RmsProp(params, this);
        }

        @Override
        public String name() {
            return "rmsprop";
        }
    }

    private final Config config;

    /** An RMSprop optimizer over {@code params} (path to parameter, in model order). */
    public RmsProp(Map<String, Parameter> params, Config config) {
        super(params, config.learningRate);
        this.config = config;
    }

    @Override
    protected void update(Parameter p, Map<String, float[]> slots, long t) {
        OptimKernels.rmsprop(p.value().data(), p.grad().data(), slot(slots, "square_avg", p),
                config.momentum > 0 ? slot(slots, "momentum_buffer", p) : null,
                config.centered ? slot(slots, "grad_avg", p) : null, p.size(), learningRate(), config.alpha,
                config.eps, config.weightDecay, config.momentum);
    }

    @Override
    public int slotsPerParameter() {
        return 1 + (config.momentum > 0 ? 1 : 0) + (config.centered ? 1 : 0);
    }

    @Override
    public Config config() {
        return config.withLearningRate(learningRate());
    }
}
