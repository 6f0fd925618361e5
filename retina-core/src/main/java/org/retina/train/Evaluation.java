package org.retina.train;

import java.util.List;
import java.util.Locale;

/**
 * Loss, accuracy, per-class accuracy and the confusion matrix ({@code confusion[true][predicted]}) of a model on
 * a dataset.
 */
public record Evaluation(double loss, double accuracy, int[][] confusion, List<String> classNames) {

    /** Copies the matrix and the names: an evaluation does not change when the caller's arrays do. */
    public Evaluation {
        confusion = copy(confusion);
        classNames = List.copyOf(classNames);
    }

    /** A copy of the confusion matrix, {@code [true][predicted]}. */
    @Override
    public int[][] confusion() {
        return copy(confusion);
    }

    private static int[][] copy(int[][] m) {
        int[][] c = new int[m.length][];
        for (int i = 0; i < m.length; i++) {
            c[i] = m[i].clone();
        }
        return c;
    }

    /** The readable report of {@link #format()}: totals, per-class accuracy and the confusion matrix. */
    @Override
    public String toString() {
        return format();
    }

    /**
     * The evaluation as sums that add up over parts of a dataset: {@code [loss * samples, samples, confusion row by
     * row]}, {@code 2 + k * k} values for {@code k} classes. Parts evaluated apart (replicas, Spark tasks) sum these
     * element-wise and {@link #fromTotals} makes the whole's evaluation.
     */
    public double[] totals() {
        int k = confusion.length;
        double[] t = new double[2 + k * k];
        int n = samples();
        t[0] = n == 0 ? 0 : loss * n;
        t[1] = n;
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                t[2 + i * k + j] = confusion[i][j];
            }
        }
        return t;
    }

    /** The evaluation whose {@link #totals()} are {@code t}, over {@code k} classes; the names label them. */
    public static Evaluation fromTotals(double[] t, int k, List<String> classNames) {
        if (t.length != 2 + k * k) {
            throw new IllegalArgumentException("Evaluation totals: " + t.length + " values, expected " + (2 + k * k)
                    + " for " + k + " classes");
        }
        int[][] confusion = new int[k][k];
        long correct = 0;
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                confusion[i][j] = (int) t[2 + i * k + j];
            }
            correct += confusion[i][i];
        }
        return new Evaluation(t[0] / t[1], correct / t[1], confusion, classNames);
    }

    /** The number of samples evaluated, the sum of the confusion matrix. */
    public int samples() {
        int n = 0;
        for (int[] row : confusion) {
            for (int v : row) {
                n += v;
            }
        }
        return n;
    }

    /** The share of each class's samples predicted correctly (NaN for a class with no sample). */
    public double[] perClassAccuracy() {
        double[] acc = new double[confusion.length];
        for (int c = 0; c < confusion.length; c++) {
            int total = 0;
            for (int v : confusion[c]) {
                total += v;
            }
            acc[c] = total == 0 ? Double.NaN : (double) confusion[c][c] / total;
        }
        return acc;
    }

    /** A readable report: totals, per-class accuracy and the confusion matrix. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "samples %d, loss %.4f, accuracy %.2f%%%n", samples(), loss,
                100 * accuracy));
        double[] per = perClassAccuracy();
        int w = 5;
        for (String n : classNames) {
            w = Math.max(w, n.length());
        }
        sb.append("per-class accuracy:\n");
        for (int c = 0; c < per.length; c++) {
            sb.append(String.format(Locale.ROOT, "  %-" + w + "s %6.2f%%%n", name(c), 100 * per[c]));
        }
        sb.append("confusion matrix (rows: true class, columns: predicted):\n");
        sb.append(" ".repeat(w + 2));
        for (int c = 0; c < confusion.length; c++) {
            sb.append(String.format(Locale.ROOT, "%6d", c));
        }
        sb.append('\n');
        for (int r = 0; r < confusion.length; r++) {
            sb.append(String.format(Locale.ROOT, "  %-" + w + "s", name(r)));
            for (int v : confusion[r]) {
                sb.append(String.format(Locale.ROOT, "%6d", v));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private String name(int c) {
        return c < classNames.size() ? classNames.get(c) : Integer.toString(c);
    }
}
