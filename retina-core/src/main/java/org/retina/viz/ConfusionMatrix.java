package org.retina.viz;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
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
        int width = (int) Math.ceil(Math.max(barX + 16 + 8 + Draw.width(Integer.toString(max), labelFont) + MARGIN,
                2 * MARGIN + head));
        int height = (int) Math.ceil(top + size + at.xLabels() + 34);
        BufferedImage img = Draw.canvas(width, height);
        Graphics2D g = Draw.graphics(img);
        g.setColor(Draw.TEXT);
        g.setFont(Draw.font(15, true));
        Draw.text(g, title, MARGIN, 24, 0);
        g.setFont(Draw.font(12, false));
        g.setColor(Draw.MUTED);
        Draw.text(g, SUBTITLE, MARGIN, 44, 0);
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                double t = max == 0 ? 0 : Math.sqrt((double) counts[r][c] / max);
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
        colourBar(g, barX, top, size, max, labelFont);
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

    private static void colourBar(Graphics2D g, int x, int top, int size, int max, Font font) {
        for (int y = 0; y < size; y++) {
            double share = 1 - (double) y / (size - 1);
            g.setColor(new Color(Draw.blues(Math.sqrt(share))));
            g.drawLine(x, top + y, x + 16, top + y);
        }
        g.setColor(new Color(0xcc, 0xcc, 0xcc));
        g.drawRect(x, top, 16, size);
        g.setFont(font);
        g.setColor(Draw.TEXT);
        Draw.text(g, Integer.toString(max), x + 22, top + 10, 0);
        Draw.text(g, "0", x + 22, top + size, 0);
    }
}
