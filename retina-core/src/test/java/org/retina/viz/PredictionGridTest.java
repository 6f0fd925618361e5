package org.retina.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.retina.data.Dataset;
import org.retina.model.Model;
import org.retina.model.Sequential;
import org.retina.nn.Dense;
import org.retina.nn.Flatten;
import org.retina.tensor.Shape;

class PredictionGridTest {
    @TempDir
    Path dir;

    private static BufferedImage digit() {
        float[] px = new float[28 * 28];
        for (int i = 0; i < px.length; i++) {
            px[i] = (i % 28) / 27f;
        }
        return Draw.picture(px, 1, 28, 28, 3);
    }

    @Test
    void rightTitlesAreBlueWrongOnesRed() throws IOException {
        List<PredictionGrid.Item> items = List.of(new PredictionGrid.Item(digit(), "7", "7"),
                new PredictionGrid.Item(digit(), "1", "7"));
        BufferedImage img = Pictures.roundTrip(PredictionGrid.of("two digits", items), dir, "grid.png");
        int tw = 84 + 12; // the images are wider than the titles: a column is an image and 12 pixels
        int y0 = Tiles.HEAD;
        int y1 = Tiles.HEAD + 20;
        int x0 = Tiles.MARGIN;
        int x1 = Tiles.MARGIN + tw;
        assertTrue(Pictures.count(img, x0, y0, x1, y1, Pictures::isBlue) > 10, "the right prediction's title is blue");
        assertEquals(0, Pictures.count(img, x0, y0, x1, y1, Pictures::isRed), "and has no red");
        assertTrue(Pictures.count(img, x1, y0, x1 + tw, y1, Pictures::isRed) > 10, "the wrong one's title is red");
        assertEquals(0, Pictures.count(img, x1, y0, x1 + tw, y1, Pictures::isBlue), "and has no blue");
        int ix = x1 + (tw - 84) / 2;
        assertEquals(Draw.WRONG.getRGB() & 0xFFFFFF, img.getRGB(ix - 1, y1 + 30) & 0xFFFFFF, "a red frame");
        assertEquals(0xFFFFFF, img.getRGB(x0 + (tw - 84) / 2 - 1, y1 + 30) & 0xFFFFFF, "no frame when right");
    }

    @Test
    void longNamesTakeTwoLines() throws IOException {
        List<PredictionGrid.Item> items = List.of(new PredictionGrid.Item(digit(), "Ankle boot", "T-shirt/top"));
        BufferedImage img = Pictures.roundTrip(PredictionGrid.of("one shoe", items), dir, "long.png");
        int w = img.getWidth();
        assertTrue(Pictures.count(img, 0, Tiles.HEAD, w, Tiles.HEAD + 17, Pictures::isRed) > 10, "first line");
        assertTrue(Pictures.count(img, 0, Tiles.HEAD + 17, w, Tiles.HEAD + 34, Pictures::isRed) > 10, "second line");
    }

    /** Always class 0: zero weights, bias (1, 0). */
    private static Model alwaysZero() {
        Model m = Sequential.builder().add("flatten", Flatten.of()).add("fc", Dense.of(2)).build()
                .build(Shape.of(1, 8, 8));
        m.namedParameters().get("fc.weight").value().fill(0);
        m.namedParameters().get("fc.bias").value().data()[0] = 1;
        m.namedParameters().get("fc.bias").value().data()[1] = 0;
        return m;
    }

    @Test
    void sampleAndMistakesClassifyTheData() {
        Dataset data = Pictures.twoClasses(10);
        Model m = alwaysZero();
        List<PredictionGrid.Item> s = PredictionGrid.sample(m, data, 6, 3);
        assertEquals(6, s.size());
        assertEquals(s.stream().map(PredictionGrid.Item::truth).toList(),
                PredictionGrid.sample(m, data, 6, 3).stream().map(PredictionGrid.Item::truth).toList(), "seeded");
        for (PredictionGrid.Item it : s) {
            assertEquals("zero", it.predicted());
            assertEquals(it.truth().equals("zero"), it.right());
            assertEquals(8 * Draw.scaleFor(8, PredictionGrid.TILE), it.image().getWidth(), "8x8 upscaled");
        }
        List<PredictionGrid.Item> wrong = PredictionGrid.mistakes(m, data, 3);
        assertEquals(3, wrong.size());
        assertTrue(wrong.stream().allMatch(it -> it.truth().equals("one") && !it.right()));
        assertEquals(5, PredictionGrid.mistakes(m, data, 99).size(), "every image of class one, no more");
        assertEquals(10, PredictionGrid.sample(m, data, 99, 1).size(), "no more than the data holds");
        assertThrows(IllegalArgumentException.class, () -> PredictionGrid.of("none", List.of()));
    }
}
