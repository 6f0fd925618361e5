package org.retina.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.retina.tensor.Rng;
import org.retina.tensor.Shape;

/** RandomCrop and HorizontalFlip on small images with known pixels. */
class TransformTest {
    private static final Shape SHAPE = Shape.of(2, 3, 4);

    /** Pixel (c, y, x) is {@code 100c + 10y + x + 1}, placed at offset 5 of a larger array. */
    private static float[] image() {
        float[] a = new float[5 + SHAPE.size() + 3];
        for (int c = 0; c < 2; c++) {
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 4; x++) {
                    a[5 + (c * 3 + y) * 4 + x] = 100 * c + 10 * y + x + 1;
                }
            }
        }
        return a;
    }

    private static float at(float[] a, int c, int y, int x) {
        return a[5 + (c * 3 + y) * 4 + x];
    }

    @Test
    void flipTwiceIsTheIdentityAndMirrorsRows() {
        float[] a = image();
        HorizontalFlip.flip(a, 5, SHAPE);
        assertEquals(4, at(a, 0, 0, 0));
        assertEquals(121, at(a, 1, 2, 3));
        assertEquals(0, a[4]);
        HorizontalFlip.flip(a, 5, SHAPE);
        assertArrayEquals(image(), a);
        float[] b = image();
        new HorizontalFlip(0).apply(b, 5, SHAPE, new Rng(1));
        assertArrayEquals(image(), b);
        new HorizontalFlip(1).apply(b, 5, SHAPE, new Rng(1));
        assertEquals(4, at(b, 0, 0, 0));
        int flipped = 0;
        Rng rng = new Rng(7);
        for (int i = 0; i < 1000; i++) {
            float[] c = image();
            new HorizontalFlip().apply(c, 5, SHAPE, rng);
            flipped += at(c, 0, 0, 0) == 4 ? 1 : 0;
        }
        assertEquals(500, flipped, 60);
        assertThrows(IllegalArgumentException.class, () -> new HorizontalFlip(1.5));
    }

    @Test
    void cropAtOffsetZeroShiftsTheImageDownRight() {
        float[] a = image();
        new RandomCrop(2).crop(a, 5, SHAPE, 0, 0);
        for (int c = 0; c < 2; c++) {
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 4; x++) {
                    float want = y >= 2 && x >= 2 ? 100 * c + 10 * (y - 2) + (x - 2) + 1 : 0;
                    assertEquals(want, at(a, c, y, x), "c" + c + " y" + y + " x" + x);
                }
            }
        }
        assertEquals(0, a[4]);
        assertEquals(0, a[5 + SHAPE.size()]);
    }

    @Test
    void cropAtTheCentreIsTheIdentityAndTheFarCornerShiftsUpLeft() {
        float[] a = image();
        new RandomCrop(2).crop(a, 5, SHAPE, 2, 2);
        assertArrayEquals(image(), a);
        new RandomCrop(2).crop(a, 5, SHAPE, 3, 4); // source (y + 1, x + 2)
        assertEquals(at(image(), 0, 1, 2), at(a, 0, 0, 0));
        assertEquals(at(image(), 1, 2, 3), at(a, 1, 1, 1));
        assertEquals(0, at(a, 1, 2, 0));
        assertEquals(0, at(a, 0, 0, 2));
        float[] b = image();
        new RandomCrop(5).crop(b, 5, SHAPE, 0, 10); // a shift larger than the image leaves zeros
        for (int k = 0; k < SHAPE.size(); k++) {
            assertEquals(0, b[5 + k]);
        }
        assertThrows(IllegalArgumentException.class, () -> new RandomCrop(2).crop(image(), 5, SHAPE, 5, 0));
    }

    @Test
    void randomCropKeepsTheShapeAndDrawsEveryOffset() {
        RandomCrop crop = new RandomCrop(1);
        Rng rng = new Rng(3);
        boolean[] seen = new boolean[9];
        for (int i = 0; i < 200; i++) {
            float[] a = image();
            crop.apply(a, 5, SHAPE, rng);
            assertEquals(image().length, a.length);
            int match = -1;
            for (int dy = 0; dy <= 2 && match < 0; dy++) {
                for (int dx = 0; dx <= 2; dx++) {
                    float[] b = image();
                    crop.crop(b, 5, SHAPE, dy, dx);
                    if (java.util.Arrays.equals(a, b)) {
                        match = dy * 3 + dx;
                        break;
                    }
                }
            }
            assertTrue(match >= 0, "the crop is one of the nine offsets");
            seen[match] = true;
        }
        for (boolean s : seen) {
            assertTrue(s);
        }
        float[] a = image();
        float[] b = image();
        crop.apply(a, 5, SHAPE, new Rng(11));
        crop.apply(b, 5, SHAPE, new Rng(11));
        assertArrayEquals(a, b);
    }
}
