package org.retina.viz;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.retina.model.Summary;
import org.retina.train.Evaluation;

/**
 * The confusion matrix as a heat map: true class down, predicted class across, the count in every cell, darker
 * blue for more (the square root of the count, so that a handful of mistakes still shows), and a colour bar.
 */
public final class ConfusionMatrix {
    private static final int MARGIN = 16;
    /** The colour bar's width in points. */
    private static final int BAR = 16;
    private static final String SUBTITLE = "rows: true class, columns: predicted class; the diagonal is right";

    private ConfusionMatrix() {
    }

    /** The evaluation's matrix, titled with its accuracy. */
    public static BufferedImage of(Evaluation ev) {
        String title = String.format(Locale.ROOT, "Confusion matrix: %s images, %.2f%% right", Summary.count(
                ev.samples()), 100 * ev.accuracy());
        return of(title, ev.confusion(), ev.classNames());
    }

    /** {@code counts[true][predicted]} with {@code classNames} (numbers where a name is missing). */
    public static BufferedImage of(String title, int[][] counts, List<String> classNames) {
        int n = counts.length;
        if (n == 0) {
            throw new IllegalArgumentException("ConfusionMatrix: no classes");
        }
        int max = 0;
        for (int[] row : counts) {
            if (row.length != n) {
                throw new IllegalArgumentException("ConfusionMatrix: a row has " + row.length + " counts, expected "
                        + n + " (a square matrix)");
            }
            for (int v : row) {
                max = Math.max(max, v);
            }
        }
        String[] names = new String[n];
        for (int i = 0; i < n; i++) {
            names[i] = i < classNames.size() ? classNames.get(i) : Integer.toString(i);
        }
        Layout at = layout(names);
        int cell = at.cell();
        int left = at.left();
        int top = at.top();
        Font labelFont = labelFont(cell);
        Font countFont = Draw.font(Math.min(13, cell / 3.2f), false);
        int size = n * cell;
        int barX = left + size + 24;
        double head = Math.max(Draw.width(title, Draw.font(15, true)), Draw.width(SUBTITLE, Draw.font(12, false)));
        double labelRoom = Draw.width(Integer.toString(max), labelFont);
        int width = (int) Math.ceil(Math.max(barX + BAR + 16 + labelRoom + 16 + MARGIN,
                2 * MARGIN + head));
        int height = (int) Math.ceil(top + size + at.xLabels() + 34);
        Draw.Figure fig = Draw.figure(width, height);
        BufferedImage img = fig.image();
        Graphics2D g = fig.g();
        g.setColor(Draw.TEXT);
        g.setFont(Draw.font(15, true));
        Draw.text(g, title, MARGIN, 24, 0);
        g.setFont(Draw.font(12, false));
        g.setColor(Draw.MUTED);
        Draw.text(g, SUBTITLE, MARGIN, 44, 0);
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                double t = shade(counts[r][c], max);
                g.setColor(new Color(Draw.blues(t)));
                g.fillRect(left + c * cell, top + r * cell, cell, cell);
                if (cell >= 22) {
                    g.setFont(countFont);
                    g.setColor(t > 0.6 ? Color.WHITE : Draw.TEXT);
                    Draw.text(g, Integer.toString(counts[r][c]), left + c * cell + cell / 2.0,
                            top + r * cell + cell / 2.0 + countFont.getSize2D() * 0.36, 0.5);
                }
            }
        }
        g.setColor(new Color(0xcc, 0xcc, 0xcc));
        g.drawRect(left, top, size, size);
        g.setFont(labelFont);
        g.setColor(Draw.TEXT);
        for (int i = 0; i < n; i++) {
            double mid = i * cell + cell / 2.0;
            Draw.text(g, names[i], left - 6, top + mid + labelFont.getSize2D() * 0.36, 1);
            if (at.slanted()) {
                AffineTransform saved = g.getTransform();
                g.translate(left + mid + 3, top + size + 8);
                g.rotate(-Math.PI / 4);
                Draw.text(g, names[i], 0, 0, 1);
                g.setTransform(saved);
            } else {
                Draw.text(g, names[i], left + mid, top + size + 16, 0.5);
            }
        }
        g.setFont(Draw.font(13, true));
        Draw.text(g, "predicted class", left + size / 2.0, top - 10, 0.5);
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2, MARGIN + 12, top + size / 2.0);
        Draw.text(g, "true class", MARGIN + 12, top + size / 2.0, 0.5);
        g.setTransform(saved);
        colourBar(g, barX, top, size, max, labelFont, labelRoom);
        g.dispose();
        return img;
    }

    /** Where the matrix lies: its top-left corner, the side of a cell, and the room its column labels take. */
    record Layout(int left, int top, int cell, boolean slanted, double xLabels) {
    }

    static Layout layout(String[] names) {
        int cell = Math.clamp(600 / names.length, 12, 52);
        Font labelFont = labelFont(cell);
        double labelW = 0;
        for (String s : names) {
            labelW = Math.max(labelW, Draw.width(s, labelFont));
        }
        // labels wider than a cell are slanted at 45 degrees
        boolean slanted = labelW > cell - 4;
        return new Layout((int) Math.ceil(MARGIN + 22 + labelW + 8), 74, cell, slanted,
                slanted ? labelW * Math.sqrt(0.5) + 14 : 20);
    }

    private static Font labelFont(int cell) {
        return Draw.font(cell >= 30 ? 12 : 9, false);
    }

    /** Where count {@code v} sits on the colour bar, as the cells colour it: the square root of its share of the max. */
    static double shade(int v, int max) {
        return max == 0 ? 0 : Math.sqrt((double) v / max);
    }

    /**
     * The colour bar: each row of pixels has the colour of the count whose shade is that height, so a cell of
     * count v matches the bar beside the tick for v; ticks at round counts, placed on the same square-root scale.
     */
    private static void colourBar(Graphics2D g, int x, int top, int size, int max, Font font, double labelRoom) {
        Object aa = g.getRenderingHint(RenderingHints.KEY_ANTIALIASING);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
        double step = 1.0 / (size * Draw.SCALE);
        for (double u = 0; u < 1; u += step) {
            g.setColor(new Color(Draw.blues(1 - u - step / 2)));
            g.fill(new java.awt.geom.Rectangle2D.Double(x, top + u * size, BAR, step * size + 1e-3));
        }
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, aa);
        g.setColor(new Color(0xcc, 0xcc, 0xcc));
        g.drawRect(x, top, BAR, size);
        g.setFont(font);
        List<Integer> ticks = new ArrayList<>();
        if (max > 0) {
            double tickStep = Math.max(1, Charts.niceStep(max / 4.0));
            for (double v = 0; v < max - tickStep / 4; v += tickStep) {
                ticks.add((int) Math.round(v));
            }
        }
        ticks.add(max);
        double last = Double.NEGATIVE_INFINITY;
        for (int i = ticks.size() - 1; i >= 0; i--) {
            int v = ticks.get(i);
            double y = top + (1 - shade(v, max)) * size;
            if (y - last < 13 && i != 0) {
                continue; // too close to the label above
            }
            g.setColor(Draw.MUTED);
            g.draw(new java.awt.geom.Line2D.Double(x + BAR, y, x + BAR + 4, y));
            g.setColor(Draw.TEXT);
            Draw.text(g, Integer.toString(v), x + BAR + 7, y + 4, 0);
            last = y;
        }
        AffineTransform saved = g.getTransform();
        g.rotate(Math.PI / 2, x + BAR + 16 + labelRoom, top + size / 2.0);
        g.setColor(Draw.MUTED);
        Draw.text(g, "images", x + BAR + 16 + labelRoom, top + size / 2.0, 0.5);
        g.setTransform(saved);
    }
}
