package org.retina.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PngTest {
    @TempDir
    Path dir;

    private static BufferedImage pattern(int seed) {
        BufferedImage img = new BufferedImage(7, 5, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 7; x++) {
                img.setRGB(x, y, (x * 36 + seed) << 16 | (y * 60) << 8 | (x * y * 9));
            }
        }
        return img;
    }

    private static void assertSamePixels(BufferedImage a, BufferedImage b) {
        assertEquals(a.getWidth(), b.getWidth());
        assertEquals(a.getHeight(), b.getHeight());
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                assertEquals(a.getRGB(x, y), b.getRGB(x, y), "pixel " + x + "," + y);
            }
        }
    }

    @Test
    void writesLosslesslyIntoNewFoldersAndOverwrites() throws IOException {
        Path file = dir.resolve("a/b/p.png");
        Png.write(pattern(0), file);
        assertSamePixels(pattern(0), ImageIO.read(file.toFile()));
        Png.write(pattern(9), file);
        assertSamePixels(pattern(9), ImageIO.read(file.toFile()));
    }

    @Test
    void dataUriHoldsTheSamePng() throws IOException {
        String uri = Png.dataUri(pattern(3));
        assertTrue(uri.startsWith("data:image/png;base64,"), uri);
        byte[] bytes = Base64.getDecoder().decode(uri.substring(uri.indexOf(',') + 1));
        assertSamePixels(pattern(3), ImageIO.read(new ByteArrayInputStream(bytes)));
        assertEquals(bytes.length, Png.encode(pattern(3)).length);
    }
}
