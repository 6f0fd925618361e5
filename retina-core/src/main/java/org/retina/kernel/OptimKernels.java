package org.retina.kernel;

/**
 * Parameter updates with PyTorch's formulas, per element in double and stored in float32.
 * {@code p} parameters, {@code g} gradients, state arrays as named; {@code step} counts from 1.
 */
public final class OptimKernels {
    /** Parameters per chunk worth a hand-over to another thread. */
    private static final int GRAIN = 1 << 13;

    private OptimKernels() {
    }

    /** SGD with L2 weight decay, momentum (dampening) and Nesterov; {@code buf} null means no momentum. */
    public static void sgd(float[] p, float[] g, float[] buf, int n, double lr, double momentum, double dampening,
                           boolean nesterov, double weightDecay, boolean firstStep) {
        Engine.current().parallelFor(n, GRAIN, (chunk, from, to) -> {
            for (int i = from; i < to; i++) {
                double d = (double) g[i] + weightDecay * p[i];
                if (buf != null) {
                    double b = firstStep ? d : momentum * buf[i] + (1 - dampening) * d;
                    buf[i] = (float) b;
                    d = nesterov ? d + momentum * b : b;
                }
                p[i] = (float) (p[i] - lr * d);
            }
        });
    }

    /**
     * Adam (with {@code decoupled}: AdamW, which first multiplies p by {@code 1 - lr*wd}; otherwise L2 decay is
     * added to the gradient).
     */
    public static void adam(float[] p, float[] g, float[] m, float[] v, int n, double lr, double beta1, double beta2,
                            double eps, double weightDecay, boolean decoupled, long step) {
        double bc1 = 1 - Math.pow(beta1, step);
        double bc2 = Math.sqrt(1 - Math.pow(beta2, step));
        double stepSize = lr / bc1;
        Engine.current().parallelFor(n, GRAIN, (chunk, from, to) -> {
            for (int i = from; i < to; i++) {
                double pi = p[i];
                double gi = g[i];
                if (decoupled) {
                    pi *= 1 - lr * weightDecay;
                } else {
                    gi += weightDecay * pi;
                }
                double mi = beta1 * m[i] + (1 - beta1) * gi;
                double vi = beta2 * v[i] + (1 - beta2) * gi * gi;
                m[i] = (float) mi;
                v[i] = (float) vi;
                p[i] = (float) (pi - stepSize * mi / (Math.sqrt(vi) / bc2 + eps));
            }
        });
    }

    /** RMSprop: {@code v = alpha v + (1-alpha) g^2}; optional momentum buffer and centred variant (PyTorch). */
    public static void rmsprop(float[] p, float[] g, float[] v, float[] mom, float[] avg, int n, double lr,
                               double alpha, double eps, double weightDecay, double momentum) {
        for (int i = 0; i < n; i++) {
            double gi = g[i] + weightDecay * p[i];
            double vi = alpha * v[i] + (1 - alpha) * gi * gi;
            v[i] = (float) vi;
            double denom;
            if (avg != null) {
                double a = alpha * avg[i] + (1 - alpha) * gi;
                avg[i] = (float) a;
                denom = Math.sqrt(vi - a * a) + eps;
            } else {
                denom = Math.sqrt(vi) + eps;
            }
            if (mom != null) {
                double b = momentum * mom[i] + gi / denom;
                mom[i] = (float) b;
                p[i] = (float) (p[i] - lr * b);
            } else {
                p[i] = (float) (p[i] - lr * gi / denom);
            }
        }
    }

    /** Sum of squares in double. */
    public static double sumOfSquares(float[] x, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += (double) x[i] * x[i];
        }
        return s;
    }

    /** {@code x *= factor}. */
    public static void scale(float[] x, int n, float factor) {
        for (int i = 0; i < n; i++) {
            x[i] *= factor;
        }
    }
}
