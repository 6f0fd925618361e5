package org.retina.data.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.retina.data.ByteDataset;
import org.retina.tensor.Shape;

/** Image folders written here: class order, channel layout, grayscale, resizing and unreadable files. */
class ImageFolderTest {
    @TempDir
    Path tmp;

    private static BufferedImage solid(int w, int h, int rgb) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        return img;
    }

    private Path write(BufferedImage img, String format, String... path) throws IOException {
        Path p = tmp.resolve(String.join("/", path));
        Files.createDirectories(p.getParent());
        assertTrue(ImageIO.write(img, format, p.toFile()), "no ImageIO writer for " + format);
        return p;
    }

    private static int[] bytes(ByteDataset ds, int i) {
        int n = ds.sampleShape().size();
        int[] r = new int[n];
        for (int k = 0; k < n; k++) {
            r[k] = ds.pixel(i, k);
        }
        return r;
    }

    @Test
    void sortedSubFoldersAreClassesAndPixelsAreChannelMajor() throws IOException {
        BufferedImage a = solid(2, 2, 0xFF0000);
        a.setRGB(1, 0, 0x0000FF);
        write(a, "png", "zebra", "a.png");
        write(solid(2, 2, 0x102030), "bmp", "zebra", "b.BMP");
        write(solid(2, 2, 0x808080), "jpg", "ant", "c.jpg");
        Files.writeString(tmp.resolve("ant/notes.txt"), "skipped");
        Files.writeString(tmp.resolve("zebra/.hidden.png"), "skipped");
        Files.createDirectories(tmp.resolve(".git/objects"));
        ByteDataset ds = ImageFolder.load(tmp, ImageFolder.Options.rgb(2, 2));
        assertEquals(List.of("ant", "zebra"), ds.classNames());
        assertArrayEquals(new int[] {0, 1, 1}, ds.labels());
        assertEquals(Shape.of(3, 2, 2), ds.sampleShape());
        // red plane, then green, then blue; pixel (0, 1) is blue
        assertArrayEquals(new int[] {255, 0, 255, 255, 0, 0, 0, 0, 0, 255, 0, 0}, bytes(ds, 1));
        assertArrayEquals(new int[] {16, 16, 16, 16, 32, 32, 32, 32, 48, 48, 48, 48}, bytes(ds, 2));
        int[] gray = bytes(ds, 0); // JPEG is lossy: close to 128
        for (int v : gray) {
            assertEquals(128, v, 3);
        }
    }

    @Test
    void grayscaleUsesLumaAndGrayFilesKeepTheirValues() throws IOException {
        write(solid(3, 3, 0xFF0000), "png", "c0", "red.png");
        BufferedImage g = new BufferedImage(3, 3, BufferedImage.TYPE_BYTE_GRAY);
        g.getRaster().setSample(0, 0, 0, 100);
        g.getRaster().setSample(2, 2, 0, 200);
        write(g, "png", "c1", "gray.png");
        ByteDataset gray = ImageFolder.load(tmp, ImageFolder.Options.gray(3, 3));
        assertEquals(Shape.of(1, 3, 3), gray.sampleShape());
        assertEquals(255 * 299 / 1000, gray.pixel(0, 4));
        assertEquals(100, gray.pixel(1, 0));
        assertEquals(200, gray.pixel(1, 8));
        assertEquals(0, gray.pixel(1, 4));
        ByteDataset rgb = ImageFolder.load(tmp, ImageFolder.Options.rgb(3, 3));
        assertEquals(100, rgb.pixel(1, 0));
        assertEquals(100, rgb.pixel(1, 9));
        assertEquals(200, rgb.pixel(1, 2 * 9 + 8));
    }

    @Test
    void resizingKeepsAUniformColourAndAnAverage() throws IOException {
        write(solid(64, 48, 0x336699), "png", "c", "big.png");
        BufferedImage stripes = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                stripes.setRGB(x, y, x % 2 == 0 ? 0xFFFFFF : 0);
            }
        }
        write(stripes, "png", "c", "stripes.png");
        write(solid(2, 2, 0x336699), "png", "c", "small.png");
        ByteDataset ds = ImageFolder.load(tmp, ImageFolder.Options.rgb(4, 4));
        for (int i : new int[] {0, 1}) { // big.png and small.png (sorted before stripes.png)
            int[] px = bytes(ds, i);
            for (int k = 0; k < 16; k++) {
                assertEquals(0x33, px[k], 1);
                assertEquals(0x66, px[16 + k], 1);
                assertEquals(0x99, px[32 + k], 1);
            }
        }
        for (int v : bytes(ds, 2)) { // 1-pixel stripes shrunk 16x average to mid-gray, not black or white
            assertEquals(128, v, 40);
        }
    }

    @Test
    void unreadableFilesAndEmptyFoldersAreNamed() throws IOException {
        write(solid(2, 2, 0), "png", "ok", "a.png");
        Path bad = tmp.resolve("ok/broken.png");
        Files.writeString(bad, "this is not a PNG");
        IOException e = assertThrows(IOException.class, () -> ImageFolder.load(tmp, ImageFolder.Options.rgb(2, 2)));
        assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
        Files.delete(bad);
        Files.createDirectories(tmp.resolve("empty"));
        e = assertThrows(IOException.class, () -> ImageFolder.load(tmp, ImageFolder.Options.rgb(2, 2)));
        assertTrue(e.getMessage().contains("empty") && e.getMessage().contains("without images"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ImageFolder.Options.rgb(0, 2));
    }
}
