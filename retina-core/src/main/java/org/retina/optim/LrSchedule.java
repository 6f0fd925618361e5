package org.retina.optim;

/**
 * A learning-rate schedule: the factor applied to the base rate after {@code t} epochs of training
 * ({@code t} fractional within an epoch, so warm-up and cosine move every step).
 */
public sealed interface LrSchedule extends java.io.Serializable {

    /** The factor applied to the base rate after {@code t} epochs, fractional within an epoch. */
    double factor(double t);

    /** The rate stays the base rate. */
    record Constant() implements LrSchedule {
        @Override
        public double factor(double t) {
            return 1;
        }
    }

    /** Multiplies by {@code gamma} every {@code stepSize} whole epochs (PyTorch StepLR). */
    record Step(int stepSize, double gamma) implements LrSchedule {
        /** Checks that {@code stepSize} is at least 1 and {@code gamma} above 0. */
        public Step {
            if (stepSize < 1 || !(gamma > 0)) {
                throw new IllegalArgumentException("Step schedule: stepSize " + stepSize + " (expected >= 1), gamma "
                        + gamma + " (expected > 0)");
            }
        }

        @Override
        public double factor(double t) {
            return Math.pow(gamma, Math.floor(Math.floor(t) / stepSize));
        }
    }

    /** Multiplies by {@code gamma} every whole epoch (PyTorch ExponentialLR). */
    record Exponential(double gamma) implements LrSchedule {
        /** Checks that {@code gamma} is above 0. */
        public Exponential {
            if (!(gamma > 0)) {
                throw new IllegalArgumentException("Exponential schedule: gamma " + gamma + ", expected > 0");
            }
        }

        @Override
        public double factor(double t) {
            return Math.pow(gamma, Math.floor(t));
        }
    }

    /** Cosine annealing from the base rate down to {@code minFactor} times it over {@code epochs} (SGDR without restarts). */
    record Cosine(double epochs, double minFactor) implements LrSchedule {
        /** Checks that {@code epochs} is above 0 and {@code minFactor} within [0, 1]. */
        public Cosine {
            if (!(epochs > 0) || minFactor < 0 || minFactor > 1) {
                throw new IllegalArgumentException("Cosine schedule: epochs " + epochs + " (expected > 0), minFactor "
                        + minFactor + " (expected 0..1)");
            }
        }

        @Override
        public double factor(double t) {
            double x = Math.min(t, epochs) / epochs;
            return minFactor + (1 - minFactor) * (1 + Math.cos(Math.PI * x)) / 2;
        }
    }

    /** A linear warm-up to the full rate over {@code epochs} (from 1/1000 of it), then {@code after}. */
    record WarmUp(double epochs, LrSchedule after) implements LrSchedule {
        /** Checks that {@code epochs} is above 0. */
        public WarmUp {
            if (!(epochs > 0)) {
                throw new IllegalArgumentException("WarmUp schedule: epochs " + epochs + ", expected > 0");
            }
        }

        @Override
        public double factor(double t) {
            if (t < epochs) {
                return Math.max(t / epochs, 1e-3) * after.factor(0);
            }
            return after.factor(t - epochs);
        }
    }

    /** Parses {@code constant}, {@code step:N:GAMMA}, {@code exp:GAMMA}, {@code cosine:EPOCHS[:MIN]},
     * {@code warmup:EPOCHS:<schedule>}. */
    static LrSchedule parse(String s) {
        String[] p = s.split(":", 3);
        try {
            return switch (p[0]) {
                case "constant" -> new Constant();
                case "step" -> new Step(Integer.parseInt(p[1]), p.length > 2 ? Double.parseDouble(p[2]) : 0.1);
                case "exp" -> new Exponential(Double.parseDouble(p[1]));
                case "cosine" -> {
                    String[] q = s.split(":");
                    yield new Cosine(Double.parseDouble(q[1]), q.length > 2 ? Double.parseDouble(q[2]) : 0);
                }
                case "warmup" -> new WarmUp(Double.parseDouble(p[1]), p.length > 2 ? parse(p[2]) : new Constant());
                default -> throw new IllegalArgumentException();
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("learning-rate schedule '" + s + "': expected constant, step:N[:GAMMA],"
                    + " exp:GAMMA, cosine:EPOCHS[:MIN_FACTOR] or warmup:EPOCHS[:SCHEDULE]");
        }
    }
}
