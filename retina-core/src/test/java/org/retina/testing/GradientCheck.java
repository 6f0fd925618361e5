package org.retina.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.function.Supplier;
import org.retina.tensor.Rng;
import org.retina.tensor.Tensor;

/**
 * Central-difference gradient checks of the scalar {@code dot(f(x), r)}, summed in double: the analytic
 * gradient must match {@code (L(v + h) - L(v - h)) / 2h} for every element, within a relative tolerance.
 * Float32 forward passes limit the accuracy to about {@code eps32 * |L| / h}, hence a step of 1e-2..1e-3 and
 * a tolerance of about 1e-2, stated per check.
 * <p>A piecewise function (ReLU at 0, a max near a tie) has a kink within one step of some random inputs; there
 * the central difference averages two slopes and matches neither. Such an element passes only when its two
 * one-sided slopes disagree (the kink is real) and the analytic gradient equals one of them: the slope of the
 * side the unperturbed value lies on, measured over an interval that does not cross the kink.
 */
public final class GradientCheck {
    private GradientCheck() {
    }

    /** {@code L = sum(out * r)} in double. */
    public static double dot(Tensor out, Tensor r) {
        float[] a = out.data();
        float[] b = r.data();
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    /** A random tensor shaped like {@code like}, uniform in [-1, 1). */
    public static Tensor random(Tensor like, Rng rng) {
        Tensor t = Tensor.zeros(like.shape());
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = rng.nextFloat() * 2f - 1f;
        }
        return t;
    }

    private static double relativeError(double numeric, double analytic, double scale) {
        return Math.abs(numeric - analytic) / Math.max(scale, Math.abs(numeric));
    }

    /**
     * A tensor shaped like {@code like} holding distinct values {@code gap} apart in random order, centred on 0:
     * with a gap above twice the finite-difference step, no perturbation can change which element is a maximum.
     */
    public static Tensor spread(Tensor like, Rng rng, float gap) {
        int n = like.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        rng.shuffle(order);
        Tensor t = Tensor.zeros(like.shape());
        float[] d = t.data();
        for (int i = 0; i < n; i++) {
            d[i] = (order[i] - (n - 1) / 2f) * gap;
        }
        return t;
    }

    /**
     * Perturbs each element of {@code values} by +-{@code step}, evaluates {@code loss}, and compares the
     * numeric derivative with {@code analytic}. Errors are measured relative to the largest analytic gradient
     * magnitude (with a floor of 1e-3), so tiny gradients do not fail on rounding noise.
     */
    public static void check(String what, Tensor values, Tensor analytic, Supplier<Double> loss, double step,
                             double tolerance) {
        float[] v = values.data();
        float[] a = analytic.data();
        double scale = 1e-3;
        for (float x : a) {
            scale = Math.max(scale, Math.abs(x));
        }
        int bad = 0;
        StringBuilder msg = new StringBuilder();
        double worst = 0;
        double base = Double.NaN;
        for (int i = 0; i < v.length; i++) {
            float orig = v[i];
            v[i] = orig + (float) step;
            double up = loss.get();
            v[i] = orig - (float) step;
            double down = loss.get();
            v[i] = orig;
            double hUp = (double) (orig + (float) step) - orig;
            double hDown = orig - (double) (orig - (float) step);
            double numeric = (up - down) / (hUp + hDown);
            double err = relativeError(numeric, a[i], scale);
            if (!(err <= tolerance)) {
                if (Double.isNaN(base)) {
                    base = loss.get();
                }
                double right = (up - base) / hUp;
                double left = (base - down) / hDown;
                boolean kink = relativeError(right, left, scale) > tolerance;
                if (kink && (relativeError(right, a[i], scale) <= tolerance
                        || relativeError(left, a[i], scale) <= tolerance)) {
                    continue;
                }
            }
            worst = Math.max(worst, err);
            if (!(err <= tolerance)) {
                if (bad < 5) {
                    msg.append(String.format("%n  [%d] analytic %.6g numeric %.6g (relative error %.3g)", i, a[i],
                            numeric, err));
                }
                bad++;
            }
        }
        if (bad > 0) {
            fail(String.format("gradient check of %s: %d of %d elements off (step %.0e, tolerance %.0e, worst %.3g):%s",
                    what, bad, v.length, step, tolerance, worst, msg));
        }
    }
}
