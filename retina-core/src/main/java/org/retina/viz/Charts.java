package org.retina.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Stroke;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.retina.train.EpochResult;
import org.retina.train.History;
import org.retina.train.Monitor;
import org.retina.train.StepResult;

/** Line charts with axes, ticks and a legend; {@link #trainingCurves} draws loss and accuracy per epoch. */
public final class Charts {
    /** matplotlib's first two colours: training blue, validation orange. */
    static final Color TRAIN = new Color(0x1f77b4);
    static final Color VALIDATION = new Color(0xff7f0e);
    /** matplotlib's third colour, for the learning rate. */
    static final Color LEARNING_RATE = new Color(0x2ca02c);
    static final int PANEL_WIDTH = 540;
    static final int PANEL_HEIGHT = 360;
    private static final Stroke SOLID = new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    private static final Stroke FAINT = new BasicStroke(1f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    private static final Stroke DASHED = new BasicStroke(2.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10,
            new float[] {7, 5}, 0);

    private Charts() {
    }

    /**
     * One line: its legend name, colour and style, and y for each x (a NaN y leaves a gap); a {@code faint} line
     * (raw values behind a smoothed one) is thin and pale, without markers or a legend entry.
     */
    public record Series(String name, double[] x, double[] y, Color color, boolean dashed, boolean faint) {
        /** Checks that there is one y for each x. */
        public Series {
            if (x.length != y.length) {
                throw new IllegalArgumentException("series '" + name + "': " + x.length + " x values but " + y.length
                        + " y values");
            }
        }

        /** A line drawn in full. */
        public Series(String name, double[] x, double[] y, Color color, boolean dashed) {
            this(name, x, y, color, dashed, false);
        }
    }

    /**
     * One chart: title, axis labels and lines; {@code percent} prints y ticks as percentages; {@code markX} draws
     * a dashed vertical line labelled {@code markLabel} (NaN for none).
     */
    public record Panel(String title, String xLabel, String yLabel, List<Series> series, boolean percent,
                        double markX, String markLabel) {
        /** Copies the list of series. */
        public Panel {
            series = List.copyOf(series);
        }
    }

    /** Loss and accuracy per epoch, training and validation, side by side; the best epoch is marked. */
    public static BufferedImage trainingCurves(History history) {
        return trainingCurves(history, List.of());
    }

    /**
     * Loss and accuracy against epochs, training and validation, side by side, the best epoch marked. With the
     * steps of the run, training is drawn per step: the raw values faint, a smoothed line over them (an
     * exponential moving average, debiased as TensorBoard does), so that even one epoch gives a curve; a third
     * panel shows the learning rate when a schedule changed it. Without steps (older runs), per epoch.
     */
    public static BufferedImage trainingCurves(History history, List<StepResult> steps) {
        if (steps.isEmpty()) {
            return epochCurves(history);
        }
        double[] x = steps.stream().mapToDouble(StepResult::progress).toArray();
        List<EpochResult> epochs = history.epochs();
        double[] ex = epochs.stream().mapToDouble(EpochResult::epoch).toArray();
        boolean val = epochs.stream().anyMatch(EpochResult::hasValidation);
        double best = bestEpoch(history);
        double weight = smoothingWeight(steps.size());
        List<Panel> panels = new ArrayList<>();
        for (Monitor metric : List.of(Monitor.LOSS, Monitor.ACCURACY)) {
            boolean acc = metric == Monitor.ACCURACY;
            double[] raw = steps.stream().mapToDouble(acc ? StepResult::accuracy : StepResult::loss).toArray();
            List<Series> s = new ArrayList<>();
            s.add(new Series("training (each step)", x, raw, TRAIN, false, true));
            s.add(new Series(weight > 0 ? "training, smoothed" : "training", x, smooth(raw, weight), TRAIN, false));
            if (val) {
                s.add(new Series("validation", ex, history.series(metric.validation()), VALIDATION, true));
            }
            panels.add(new Panel(acc ? "Accuracy" : "Loss", "epoch", acc ? "accuracy" : "cross-entropy loss", s, acc,
                    epochs.size() > 1 ? best : Double.NaN, "best epoch " + (int) best));
        }
        double[] lr = steps.stream().mapToDouble(StepResult::learningRate).toArray();
        double lo = java.util.Arrays.stream(lr).min().orElse(0);
        double hi = java.util.Arrays.stream(lr).max().orElse(0);
        if (hi > lo * (1 + 1e-9)) {
            panels.add(new Panel("Learning rate", "epoch", "learning rate", List.of(new Series("learning rate", x, lr,
                    LEARNING_RATE, false)), false, Double.NaN, ""));
        }
        return lines(panels);
    }

    /** The smoothing of a run of {@code n} steps: an average over about a sixtieth of the run, at least 1 step. */
    static double smoothingWeight(int n) {
        return 1 - 1.0 / Math.max(1, n / 60.0);
    }

    /**
     * The exponential moving average {@code m = w m + (1 - w) v}, divided by {@code 1 - w^k} after k values so
     * that the start is not pulled towards zero; non-finite values are skipped.
     */
    static double[] smooth(double[] v, double w) {
        double[] out = new double[v.length];
        double m = 0;
        double norm = 0;
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                out[i] = Double.NaN;
                continue;
            }
            m = w * m + (1 - w) * v[i];
            norm = w * norm + (1 - w);
            out[i] = m / norm;
        }
        return out;
    }

    /** The epoch a checkpoint keeps: lowest validation loss, else lowest training loss. */
    static double bestEpoch(History history) {
        boolean val = history.epochs().stream().anyMatch(EpochResult::hasValidation);
        double best = Double.NaN;
        double bestLoss = Double.POSITIVE_INFINITY;
        for (EpochResult e : history.epochs()) {
            double l = val ? e.valLoss() : e.loss();
            if (l < bestLoss) {
                bestLoss = l;
                best = e.epoch();
            }
        }
        return best;
    }

    private static BufferedImage epochCurves(History history) {
        if (history.isEmpty()) {
            throw new IllegalArgumentException("Charts: the history is empty (no finished epoch to draw)");
        }
        List<EpochResult> epochs = history.epochs();
        double[] x = epochs.stream().mapToDouble(EpochResult::epoch).toArray();
        boolean val = epochs.stream().anyMatch(EpochResult::hasValidation);
        double best = bestEpoch(history);
        List<Panel> panels = new ArrayList<>();
        for (Monitor metric : List.of(Monitor.LOSS, Monitor.ACCURACY)) {
            List<Series> s = new ArrayList<>();
            s.add(new Series("training", x, history.series(metric), TRAIN, false));
            if (val) {
                s.add(new Series("validation", x, history.series(metric.validation()), VALIDATION, true));
            }
            boolean acc = metric == Monitor.ACCURACY;
            panels.add(new Panel(acc ? "Accuracy" : "Loss", "epoch", acc ? "accuracy" : "cross-entropy loss", s, acc,
                    epochs.size() > 1 ? best : Double.NaN, "best epoch " + (int) best));
        }
        return lines(panels);
    }

    /** The panels side by side, each {@value #PANEL_WIDTH} x {@value #PANEL_HEIGHT} points (twice the pixels). */
    public static BufferedImage lines(List<Panel> panels) {
        if (panels.isEmpty()) {
            throw new IllegalArgumentException("Charts.lines: no panel to draw");
        }
        Draw.Figure fig = Draw.figure(PANEL_WIDTH * panels.size(), PANEL_HEIGHT);
        BufferedImage img = fig.image();
        Graphics2D g = fig.g();
        for (int i = 0; i < panels.size(); i++) {
            panel(g, panels.get(i), i * PANEL_WIDTH);
        }
        g.dispose();
        return img;
    }

    private static void panel(Graphics2D g, Panel p, int ox) {
        double xlo = Double.POSITIVE_INFINITY, xhi = Double.NEGATIVE_INFINITY;
        double ylo = Double.POSITIVE_INFINITY, yhi = Double.NEGATIVE_INFINITY;
        for (Series s : p.series()) {
            for (int i = 0; i < s.x().length; i++) {
                if (Double.isFinite(s.y()[i]) && Double.isFinite(s.x()[i])) {
                    xlo = Math.min(xlo, s.x()[i]);
                    xhi = Math.max(xhi, s.x()[i]);
                    ylo = Math.min(ylo, s.y()[i]);
                    yhi = Math.max(yhi, s.y()[i]);
                }
            }
        }
        g.setColor(Draw.TEXT);
        g.setFont(Draw.font(15, true));
        Draw.text(g, p.title(), ox + 16, 26, 0);
        if (xlo > xhi) {
            g.setFont(Draw.font(13, false));
            Draw.text(g, "no values to draw", ox + PANEL_WIDTH / 2.0, PANEL_HEIGHT / 2.0, 0.5);
            return;
        }
        if (xhi - xlo < 1e-9) {
            xlo -= 0.5;
            xhi += 0.5;
        }
        double xstep = Math.max(1, Math.floor(niceStep((xhi - xlo) / 8)));
        // a little room at both ends, so the first and last markers stay clear of the axes
        double xpad = (xhi - xlo) * 0.03;
        xlo -= xpad;
        xhi += xpad;
        double pad = yhi - ylo < 1e-12 ? Math.max(Math.abs(yhi) * 0.05, 1e-3) : (yhi - ylo) * 0.06;
        double lo = ylo >= 0 ? Math.max(0, ylo - pad) : ylo - pad;
        double hi = p.percent() && yhi <= 1 ? Math.min(1, yhi + pad) : yhi + pad;
        if (hi - lo < 1e-12) {
            lo -= pad;
        }
        double ystep = niceStep((hi - lo) / 5);
        g.setFont(Draw.font(12, false));
        List<String> ylabels = new ArrayList<>();
        List<Double> yticks = ticks(lo, hi, ystep);
        double labelWidth = 0;
        for (double t : yticks) {
            String s = p.percent() ? format(100 * t, 100 * ystep) + "%" : format(t, ystep);
            ylabels.add(s);
            labelWidth = Math.max(labelWidth, Draw.width(g, s));
        }
        double left = ox + 34 + labelWidth + 8;
        double right = ox + PANEL_WIDTH - 20;
        double top = 48;
        double bottom = PANEL_HEIGHT - 54;
        Plot f = new Plot(left, right, top, bottom, xlo, xhi, lo, hi);
        for (int i = 0; i < yticks.size(); i++) {
            double y = f.y(yticks.get(i));
            g.setColor(Draw.GRID);
            g.draw(new Line2D.Double(left, y, right, y));
            g.setColor(Draw.TEXT);
            Draw.text(g, ylabels.get(i), left - 8, y + 4, 1);
        }
        for (double t : ticks(xlo, xhi, xstep)) {
            double x = f.x(t);
            g.setColor(Draw.MUTED);
            g.draw(new Line2D.Double(x, bottom, x, bottom + 5));
            g.setColor(Draw.TEXT);
            Draw.text(g, format(t, xstep), x, bottom + 20, 0.5);
        }
        g.setColor(Draw.MUTED);
        g.setStroke(new BasicStroke(1.2f));
        g.draw(new Line2D.Double(left, top, left, bottom));
        g.draw(new Line2D.Double(left, bottom, right, bottom));
        g.setFont(Draw.font(13, false));
        g.setColor(Draw.TEXT);
        Draw.text(g, p.xLabel(), (left + right) / 2, PANEL_HEIGHT - 14, 0.5);
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2, ox + 18, (top + bottom) / 2);
        Draw.text(g, p.yLabel(), ox + 18, (top + bottom) / 2, 0.5);
        g.setTransform(saved);
        if (Double.isFinite(p.markX()) && p.markX() >= xlo && p.markX() <= xhi) {
            double x = f.x(p.markX());
            g.setColor(new Color(0x99, 0x99, 0x99));
            g.setStroke(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {4, 4}, 0));
            g.draw(new Line2D.Double(x, top, x, bottom));
            g.setFont(Draw.font(11, false));
            g.setColor(Draw.MUTED);
            boolean nearRight = x + 8 + Draw.width(g, p.markLabel()) > right;
            Draw.text(g, p.markLabel(), nearRight ? x - 5 : x + 5, top + 12, nearRight ? 1 : 0);
        }
        for (Series s : p.series()) {
            line(g, f, s);
        }
        legend(g, p.series(), ox + PANEL_WIDTH - 20, 26);
    }

    /** Maps data coordinates into the plot rectangle. */
    private record Plot(double left, double right, double top, double bottom, double xlo, double xhi, double ylo,
                         double yhi) {
        double x(double v) {
            return left + (v - xlo) / (xhi - xlo) * (right - left);
        }

        double y(double v) {
            return bottom - (v - ylo) / (yhi - ylo) * (bottom - top);
        }
    }

    private static void line(Graphics2D g, Plot f, Series s) {
        Path2D.Double path = new Path2D.Double();
        boolean pen = false;
        int points = 0;
        for (int i = 0; i < s.x().length; i++) {
            if (!Double.isFinite(s.y()[i])) {
                pen = false;
                continue;
            }
            points++;
            if (pen) {
                path.lineTo(f.x(s.x()[i]), f.y(s.y()[i]));
            } else {
                path.moveTo(f.x(s.x()[i]), f.y(s.y()[i]));
                pen = true;
            }
        }
        if (s.faint()) {
            g.setColor(new Color(s.color().getRed(), s.color().getGreen(), s.color().getBlue(), 70));
            g.setStroke(FAINT);
            g.draw(path);
            return;
        }
        g.setColor(s.color());
        g.setStroke(s.dashed() ? DASHED : SOLID);
        g.draw(path);
        if (points <= 60) {
            for (int i = 0; i < s.x().length; i++) {
                if (Double.isFinite(s.y()[i])) {
                    marker(g, f.x(s.x()[i]), f.y(s.y()[i]), s.color());
                }
            }
        }
    }

    private static void marker(Graphics2D g, double x, double y, Color c) {
        Ellipse2D dot = new Ellipse2D.Double(x - 4, y - 4, 8, 8);
        g.setColor(c);
        g.fill(dot);
        g.setColor(Color.WHITE);
        g.setStroke(new BasicStroke(1.2f));
        g.draw(dot);
    }

    /** The legend entries laid out leftwards from {@code right} on the baseline {@code y}. */
    private static void legend(Graphics2D g, List<Series> series, double right, double y) {
        g.setFont(Draw.font(12.5f, false));
        double x = right;
        for (int i = series.size() - 1; i >= 0; i--) {
            Series s = series.get(i);
            if (s.faint() || s.name().isEmpty()) {
                continue; // raw values behind a smoothed line, or a second line of a run already named
            }
            double w = Draw.width(g, s.name());
            g.setColor(Draw.TEXT);
            Draw.text(g, s.name(), x, y, 1);
            double sample = x - w - 34;
            g.setColor(s.color());
            g.setStroke(s.dashed() ? DASHED : SOLID);
            g.draw(new Line2D.Double(sample, y - 4, sample + 26, y - 4));
            marker(g, sample + 13, y - 4, s.color());
            x = sample - 18;
        }
    }

    /** 1, 2, 2.5 or 5 times a power of ten, near {@code raw}. */
    static double niceStep(double raw) {
        if (!(raw > 0) || !Double.isFinite(raw)) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / p;
        double nice = f < 1.5 ? 1 : f < 2.25 ? 2 : f < 3.5 ? 2.5 : f < 7.5 ? 5 : 10;
        return nice * p;
    }

    /** The multiples of {@code step} in {@code [lo, hi]}. */
    static List<Double> ticks(double lo, double hi, double step) {
        List<Double> t = new ArrayList<>();
        long first = (long) Math.ceil(lo / step - 1e-9);
        long last = (long) Math.floor(hi / step + 1e-9);
        for (long k = first; k <= last; k++) {
            t.add(k * step);
        }
        return t;
    }

    /** {@code v} with as many decimals as {@code step} needs. */
    static String format(double v, double step) {
        int decimals = 0;
        while (decimals < 8 && Math.abs(step * Math.pow(10, decimals) - Math.rint(step * Math.pow(10, decimals)))
                > 1e-6 * Math.pow(10, decimals)) {
            decimals++;
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", v == 0 ? 0.0 : v);
    }
}
