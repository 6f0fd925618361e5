package org.retina.viz;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.function.DoubleToIntFunction;

/** What the pictures share: a white canvas, fonts, aligned text, colour maps, and pixels to images. */
final class Draw {
    static final Color TEXT = new Color(0x22, 0x22, 0x22);
    static final Color MUTED = new Color(0x60, 0x60, 0x60);
    static final Color GRID = new Color(0xe4, 0xe4, 0xe4);
    /** Titles of right predictions (blue, as in the Keras CIFAR-10 tutorial) and wrong ones (its red). */
    static final Color RIGHT = new Color(0x1f, 0x3f, 0xd6);
    static final Color WRONG = new Color(0xd0, 0x1c, 0x1c);

    // matplotlib's viridis and Blues, sampled at nine evenly spaced points
    private static final int[] VIRIDIS = {0x440154, 0x472d7b, 0x3b528b, 0x2c728e, 0x21918c, 0x28ae80, 0x5ec962,
        0xaddc30, 0xfde725};
    private static final int[] BLUES = {0xf7fbff, 0xdeebf7, 0xc6dbef, 0x9ecae1, 0x6baed6, 0x4292c6, 0x2171b5,
        0x08519c, 0x08306b};

    private Draw() {
    }

    /** A white RGB canvas; fails with the size when it is empty or absurdly large. */
    static BufferedImage canvas(int width, int height) {
        if (width < 1 || height < 1 || (long) width * height > 64L << 20) {
            throw new IllegalArgumentException("a picture of " + width + "x" + height
                    + " pixels is not drawable (expected 1 to 64 Mpixels)");
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = graphics(img);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.dispose();
        return img;
    }

    /**
     * Pixels per layout point of every figure: pictures are laid out in points and drawn at twice the pixels, so
     * they stay sharp on high-density screens; a page shows them at their size in points.
     */
    static final int SCALE = 2;

    /** A white canvas of {@code width x height} points and its graphics, which draw in points. */
    record Figure(BufferedImage image, Graphics2D g) {
    }

    /** A new figure; tiles drawn into it with {@code drawImage} keep their pixels square (no smoothing). */
    static Figure figure(int width, int height) {
        BufferedImage img = canvas(width * SCALE, height * SCALE);
        Graphics2D g = graphics(img);
        g.scale(SCALE, SCALE);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        return new Figure(img, g);
    }

    /** A graphics context with anti-aliased shapes and text. */
    static Graphics2D graphics(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        return g;
    }

    static Font font(float size, boolean bold) {
        return new Font(Font.SANS_SERIF, bold ? Font.BOLD : Font.PLAIN, 1).deriveFont(size);
    }

    /** A crisp one-pixel frame just outside the rectangle {@code (x, y, w, h)}, in the current colour. */
    static void frame(Graphics2D g, int x, int y, int w, int h) {
        Object aa = g.getRenderingHint(RenderingHints.KEY_ANTIALIASING);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
        g.drawRect(x - 1, y - 1, w + 1, h + 1);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, aa);
    }

    /** Draws {@code s} with its baseline at {@code y}; {@code align} 0 puts x at the left, 0.5 centre, 1 right. */
    static void text(Graphics2D g, String s, double x, double y, double align) {
        double w = g.getFontMetrics().getStringBounds(s, g).getWidth();
        g.drawString(s, (float) (x - align * w), (float) y);
    }

    static double width(Graphics2D g, String s) {
        return g.getFontMetrics().getStringBounds(s, g).getWidth();
    }

    /** The width of {@code s} in {@code font}, before there is a picture to draw on. */
    static double width(String s, Font font) {
        Graphics2D g = graphics(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB));
        g.setFont(font);
        double w = width(g, s);
        g.dispose();
        return w;
    }

    /** {@code s}, shortened with an ellipsis when wider than {@code max} in the current font. */
    static String fit(Graphics2D g, String s, double max) {
        if (width(g, s) <= max) {
            return s;
        }
        String t = s;
        while (t.length() > 1 && width(g, t + "…") > max) {
            t = t.substring(0, t.length() - 1);
        }
        return t + "…";
    }

    /** Viridis at {@code t} in [0, 1]: dark violet to yellow. */
    static int viridis(double t) {
        return ramp(VIRIDIS, t);
    }

    /** Blues at {@code t} in [0, 1]: near white to dark blue. */
    static int blues(double t) {
        return ramp(BLUES, t);
    }

    private static int ramp(int[] stops, double t) {
        double u = Math.clamp(Double.isNaN(t) ? 0 : t, 0, 1) * (stops.length - 1);
        int i = Math.min((int) u, stops.length - 2);
        double f = u - i;
        int a = stops[i];
        int b = stops[i + 1];
        int r = (int) Math.round(((a >> 16) & 255) * (1 - f) + ((b >> 16) & 255) * f);
        int gr = (int) Math.round(((a >> 8) & 255) * (1 - f) + ((b >> 8) & 255) * f);
        int bl = (int) Math.round((a & 255) * (1 - f) + (b & 255) * f);
        return (r << 16) | (gr << 8) | bl;
    }

    /** Values {@code v[off .. off+len)} stretched to [0, 1] (min to 0, max to 1); a constant block becomes 0. */
    static float[] unit(float[] v, int off, int len) {
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (int i = off; i < off + len; i++) {
            lo = Math.min(lo, v[i]);
            hi = Math.max(hi, v[i]);
        }
        float[] u = new float[len];
        float range = hi - lo;
        if (range > 0 && Float.isFinite(range)) {
            for (int i = 0; i < len; i++) {
                u[i] = (v[off + i] - lo) / range;
            }
        }
        return u;
    }

    /**
     * A {@code (C, H, W)} block of [0, 1] values as a picture, each value a {@code scale x scale} square: grey
     * for one channel, colour for three.
     */
    static BufferedImage picture(float[] chw, int channels, int h, int w, int scale) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("a picture has 1 (grey) or 3 (RGB) channels, given " + channels);
        }
        int plane = h * w;
        BufferedImage img = canvas(w * scale, h * scale);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                int rgb = channels == 1 ? grey(chw[p]) * 0x010101
                        : (grey(chw[p]) << 16) | (grey(chw[plane + p]) << 8) | grey(chw[2 * plane + p]);
                fill(img, x * scale, y * scale, scale, rgb);
            }
        }
        return img;
    }

    /**
     * A {@code (C, H, W)} block of any values at {@code v[off ..]}, stretched jointly to [0, 1] and drawn: grey for
     * one channel, colour for three, the mean of the channels in grey for other counts.
     */
    static BufferedImage stretched(float[] v, int off, int channels, int h, int w, int scale) {
        int plane = h * w;
        if (channels == 1 || channels == 3) {
            return picture(unit(v, off, channels * plane), channels, h, w, scale);
        }
        float[] mean = new float[plane];
        for (int c = 0; c < channels; c++) {
            for (int p = 0; p < plane; p++) {
                mean[p] += v[off + c * plane + p] / channels;
            }
        }
        return picture(unit(mean, 0, plane), 1, h, w, scale);
    }

    /** An {@code H x W} block of [0, 1] values through a colour map, each value a {@code scale x scale} square. */
    static BufferedImage mapped(float[] unit, int h, int w, int scale, DoubleToIntFunction map) {
        BufferedImage img = canvas(w * scale, h * scale);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                fill(img, x * scale, y * scale, scale, map.applyAsInt(unit[y * w + x]));
            }
        }
        return img;
    }

    private static int grey(float v) {
        return Math.round(Math.clamp(Float.isNaN(v) ? 0 : v, 0f, 1f) * 255);
    }

    private static void fill(BufferedImage img, int x0, int y0, int size, int rgb) {
        for (int y = y0; y < y0 + size; y++) {
            for (int x = x0; x < x0 + size; x++) {
                img.setRGB(x, y, rgb);
            }
        }
    }

    /** The upscaling factor that brings a side of {@code side} pixels near {@code target} (at least 1). */
    static int scaleFor(int side, int target) {
        return Math.max(1, Math.round((float) target / side));
    }
}
