package org.retina.optim;

import java.util.Map;
import org.retina.kernel.OptimKernels;
import org.retina.tensor.Parameter;

/** Adam, and AdamW when weight decay is decoupled, with PyTorch's update rule and bias corrections. */
public final class Adam extends Optimizer {

    /** Adam's settings; {@code decoupled} makes it AdamW. */
    public record Config(double learningRate, double beta1, double beta2, double eps, double weightDecay,
                         boolean decoupled) implements OptimizerConfig {
        /** Checks that both betas are in [0, 1) and that eps and weight decay are not negative. */
        public Config {
            OptimizerConfig.checkLearningRate(decoupled ? "AdamW" : "Adam", learningRate);
            if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("Adam: betas (" + beta1 + ", " + beta2
                        + "), expected each in [0, 1)");
            }
            OptimizerConfig.checkNotNegative("Adam", "eps", eps);
            OptimizerConfig.checkNotNegative("Adam", "weight decay", weightDecay);
        }

        /** PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, no weight decay. */
        public static Config of(double lr) {
            return new Config(lr, 0.9, 0.999, 1e-8, 0, false);
        }

        /** AdamW with PyTorch's defaults otherwise. */
        public static Config adamW(double lr, double weightDecay) {
            return new Config(lr, 0.9, 0.999, 1e-8, weightDecay, true);
        }

        /** With the decay rates of the first and second moment averages, each in [0, 1). */
        public Config withBetas(double b1, double b2) {
            return new Config(learningRate, b1, b2, eps, weightDecay, decoupled);
        }

        /** With {@code eps}, added to the denominator for stability. */
        public Config withEps(double e) {
            return new Config(learningRate, beta1, beta2, e, weightDecay, decoupled);
        }

        /** With weight decay {@code wd}: L2 added to the gradient for Adam, decoupled for AdamW. */
        public Config withWeightDecay(double wd) {
            return new Config(learningRate, beta1, beta2, eps, wd, decoupled);
        }

        @Override
        public Config withLearningRate(double lr) {
            return new Config(lr, beta1, beta2, eps, weightDecay, decoupled);
        }

        @Override
        public Adam create(Map<String, Parameter> params) {
            return new Adam(params, this);
        }

        @Override
        public String name() {
            return decoupled ? "adamw" : "adam";
        }
    }

    private final Config config;

    /** An Adam optimizer over {@code params} (path to parameter, in model order). */
    public Adam(Map<String, Parameter> params, Config config) {
        super(params, config.learningRate);
        this.config = config;
    }

    @Override
    protected void update(Parameter p, Map<String, float[]> slots, long t) {
        OptimKernels.adam(p.value().data(), p.grad().data(), slot(slots, "exp_avg", p), slot(slots, "exp_avg_sq", p),
                p.size(), learningRate(), config.beta1, config.beta2, config.eps, config.weightDecay,
                config.decoupled, t);
    }

    @Override
    public int slotsPerParameter() {
        return 2;
    }

    @Override
    public Config config() {
        return config.withLearningRate(learningRate());
    }
}
