package org.retina.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import javax.imageio.ImageIO;
import org.retina.data.ByteDataset;
import org.retina.data.Dataset;
import org.retina.tensor.Shape;

/** What the picture tests share: write and decode a PNG, tell blank from drawn, find colours in a region. */
final class Pictures {
    private Pictures() {
    }

    /**
     * Writes {@code img} as {@code name}, decodes the file, checks it is the same size, drawn at
     * {@link Draw#SCALE} pixels per point and not blank, and returns it sampled at one pixel per point, so that
     * the tests speak of the layout's coordinates.
     */
    static BufferedImage roundTrip(BufferedImage img, Path dir, String name) throws IOException {
        BufferedImage back = decodeChecked(img, dir, name);
        assertEquals(0, back.getWidth() % Draw.SCALE + back.getHeight() % Draw.SCALE, name
                + ": a figure is a whole number of points");
        return atPoints(back);
    }

    /** One pixel per point: the top-left pixel of each {@code SCALE x SCALE} square. */
    static BufferedImage atPoints(BufferedImage img) {
        int w = img.getWidth() / Draw.SCALE;
        int h = img.getHeight() / Draw.SCALE;
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out.setRGB(x, y, img.getRGB(x * Draw.SCALE, y * Draw.SCALE));
            }
        }
        return out;
    }

    private static BufferedImage decodeChecked(BufferedImage img, Path dir, String name) throws IOException {
        Path file = dir.resolve(name);
        Png.write(img, file);
        BufferedImage back = ImageIO.read(file.toFile());
        assertNotNull(back, name + " does not decode as an image");
        assertEquals(img.getWidth(), back.getWidth(), name + " width");
        assertEquals(img.getHeight(), back.getHeight(), name + " height");
        assertNotBlank(back, name);
        assertMarginsBlank(back, 4, name);
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "a temporary file is left");
        }
        return back;
    }

    /** Nothing is drawn within {@code m} pixels of the edges: no text or line is clipped by them. */
    static void assertMarginsBlank(BufferedImage img, int m, String what) {
        int w = img.getWidth();
        int h = img.getHeight();
        int white = 0xFFFFFF;
        int drawn = count(img, 0, 0, w, m, rgb -> rgb != white) + count(img, 0, h - m, w, h, rgb -> rgb != white)
                + count(img, 0, 0, m, h, rgb -> rgb != white) + count(img, w - m, 0, w, h, rgb -> rgb != white);
        assertEquals(0, drawn, what + ": pixels drawn within " + m + " pixels of the edges (clipped?)");
    }

    /** At least a few hundred pixels are not white and there are at least {@code 8} colours. */
    static void assertNotBlank(BufferedImage img, String what) {
        Set<Integer> colours = new HashSet<>();
        int ink = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y) & 0xFFFFFF;
                colours.add(rgb);
                ink += rgb == 0xFFFFFF ? 0 : 1;
            }
        }
        assertTrue(ink > 300 && colours.size() >= 8, what + " looks blank: " + ink + " drawn pixels, "
                + colours.size() + " colours");
    }

    /** How many pixels in {@code [x0, x1) x [y0, y1)} satisfy {@code test} (on 0xRRGGBB). */
    static int count(BufferedImage img, int x0, int y0, int x1, int y1, IntPredicate test) {
        int n = 0;
        for (int y = Math.max(0, y0); y < Math.min(img.getHeight(), y1); y++) {
            for (int x = Math.max(0, x0); x < Math.min(img.getWidth(), x1); x++) {
                n += test.test(img.getRGB(x, y) & 0xFFFFFF) ? 1 : 0;
            }
        }
        return n;
    }

    static int r(int rgb) {
        return (rgb >> 16) & 255;
    }

    static int g(int rgb) {
        return (rgb >> 8) & 255;
    }

    static int b(int rgb) {
        return rgb & 255;
    }

    /** Within {@code tolerance} of {@code want} in every channel. */
    static boolean near(int rgb, int want, int tolerance) {
        return Math.abs(r(rgb) - r(want)) <= tolerance && Math.abs(g(rgb) - g(want)) <= tolerance
                && Math.abs(b(rgb) - b(want)) <= tolerance;
    }

    static boolean isRed(int rgb) {
        return r(rgb) > 170 && g(rgb) < 90 && b(rgb) < 90;
    }

    static boolean isBlue(int rgb) {
        return b(rgb) > 170 && r(rgb) < 90 && g(rgb) < 110;
    }

    static int luminance(int rgb) {
        return (299 * r(rgb) + 587 * g(rgb) + 114 * b(rgb)) / 1000;
    }

    /**
     * {@code n} grey 8x8 images, two classes ("zero", "one"), labels alternating; image {@code i} is bright in its
     * top half when its label is 0 and in its bottom half when 1.
     */
    static Dataset twoClasses(int n) {
        byte[] px = new byte[n * 64];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            for (int p = 0; p < 64; p++) {
                boolean top = p < 32;
                px[i * 64 + p] = (byte) (top == (labels[i] == 0) ? 230 : 20);
            }
        }
        return new ByteDataset("two", Shape.of(1, 8, 8), px, labels, List.of("zero", "one"));
    }
}
