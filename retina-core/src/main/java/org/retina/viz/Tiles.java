package org.retina.viz;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;

/** Lays equal-sized pictures out in a grid under a title, each with a label below and a thin frame. */
final class Tiles {
    static final int MARGIN = 16;
    static final int GAP = 10;
    static final int LABEL = 16;
    /** The height of the title and subtitle above a grid. */
    static final int HEAD = 58;
    private static final Color FRAME = new Color(0xbb, 0xbb, 0xbb);

    private Tiles() {
    }

    /** Columns for {@code n} tiles: one row up to 8, then 8 wide up to 64, then near a 3:2 rectangle. */
    static int columns(int n) {
        return n <= 8 ? n : n <= 64 ? 8 : (int) Math.ceil(Math.sqrt(n * 1.5));
    }

    /**
     * The grid: {@code title} and {@code subtitle} on top, then {@code lead} (may be null) on the left with
     * {@code leadLabel} below it, then the tiles with their labels.
     */
    static BufferedImage grid(String title, String subtitle, BufferedImage lead, String leadLabel,
                              List<BufferedImage> tiles, List<String> labels) {
        int n = tiles.size();
        int cols = columns(n);
        int rows = (n + cols - 1) / cols;
        int tw = tiles.getFirst().getWidth();
        int th = tiles.getFirst().getHeight();
        Font titleFont = Draw.font(15, true);
        Font subFont = Draw.font(12, false);
        int leadW = lead == null ? 0 : lead.getWidth() + 3 * GAP;
        int gridW = cols * tw + (cols - 1) * GAP;
        int width = (int) Math.ceil(Math.max(MARGIN + leadW + gridW + MARGIN, 2 * MARGIN
                + Math.max(Draw.width(title, titleFont), Draw.width(subtitle, subFont))));
        int gridH = rows * (th + LABEL) + (rows - 1) * GAP;
        int leadH = lead == null ? 0 : lead.getHeight() + LABEL;
        int height = HEAD + Math.max(gridH, leadH) + MARGIN;
        Draw.Figure fig = Draw.figure(width, height);
        BufferedImage img = fig.image();
        Graphics2D g = fig.g();
        g.setColor(Draw.TEXT);
        g.setFont(titleFont);
        Draw.text(g, title, MARGIN, 24, 0);
        g.setColor(Draw.MUTED);
        g.setFont(subFont);
        Draw.text(g, subtitle, MARGIN, 44, 0);
        g.setFont(Draw.font(11, false));
        if (lead != null) {
            place(g, lead, leadLabel, MARGIN, HEAD);
        }
        for (int i = 0; i < n; i++) {
            int x = MARGIN + leadW + (i % cols) * (tw + GAP);
            int y = HEAD + (i / cols) * (th + LABEL + GAP);
            place(g, tiles.get(i), labels.get(i), x, y);
        }
        g.dispose();
        return img;
    }

    private static void place(Graphics2D g, BufferedImage tile, String label, int x, int y) {
        g.drawImage(tile, x, y, null);
        g.setColor(FRAME);
        Draw.frame(g, x, y, tile.getWidth(), tile.getHeight());
        g.setColor(Draw.MUTED);
        String fitted = Draw.fit(g, label, tile.getWidth() + GAP - 2);
        Draw.text(g, fitted, x + tile.getWidth() / 2.0, y + tile.getHeight() + 13, 0.5);
    }
}
