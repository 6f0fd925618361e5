package org.retina.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.retina.model.Model;
import org.retina.model.Sequential;
import org.retina.nn.Conv2d;
import org.retina.nn.Dense;
import org.retina.nn.Flatten;
import org.retina.nn.ReLU;
import org.retina.tensor.Shape;

class FilterGridTest {
    @TempDir
    Path dir;

    @Test
    void greyFiltersAreStretchedFromTheirLowestWeightToTheirHighest() throws IOException {
        Model m = Sequential.builder().add("conv1", Conv2d.of(2, 3)).add("relu", ReLU.of())
                .add("conv2", Conv2d.of(4, 3)).build().build(Shape.of(1, 7, 7));
        float[] w = m.namedParameters().get("conv1.weight").value().data(); // (2, 1, 3, 3)
        for (int k = 0; k < 9; k++) {
            w[k] = k * 0.01f;              // filter 0: lowest top left, highest bottom right
            w[9 + k] = 5 - k;              // filter 1: the other way round, on another scale
        }
        BufferedImage img = Pictures.roundTrip(FilterGrid.of(m), dir, "filters.png");
        int side = 3 * Draw.scaleFor(3, FilterGrid.TILE);
        int y = Tiles.HEAD;
        int x0 = Tiles.MARGIN;
        int x1 = Tiles.MARGIN + side + Tiles.GAP;
        assertEquals(0x000000, img.getRGB(x0 + 2, y + 2) & 0xFFFFFF, "filter 0, top left: its lowest weight");
        assertEquals(0xFFFFFF, img.getRGB(x0 + side - 3, y + side - 3) & 0xFFFFFF, "filter 0, bottom right");
        assertEquals(0xFFFFFF, img.getRGB(x1 + 2, y + 2) & 0xFFFFFF, "filter 1, top left: its highest weight");
        assertEquals(0x000000, img.getRGB(x1 + side - 3, y + side - 3) & 0xFFFFFF, "filter 1, bottom right");
        int mid = img.getRGB(x0 + side / 2, y + side / 2) & 0xFFFFFF; // weight 4 of 0..8: half way
        assertEquals(128, Pictures.r(mid), 1);
        assertEquals(Pictures.r(mid), Pictures.b(mid), "grey");
    }

    @Test
    void threeChannelFiltersAreInColour() throws IOException {
        Model m = Sequential.builder().add("rgb", Conv2d.of(1, 1)).build().build(Shape.of(3, 4, 4));
        float[] w = m.namedParameters().get("rgb.weight").value().data(); // (1, 3, 1, 1): red only
        w[0] = 0.7f;
        w[1] = -0.2f;
        w[2] = -0.2f;
        BufferedImage img = Pictures.roundTrip(FilterGrid.of(m), dir, "rgb.png");
        int c = Draw.scaleFor(1, FilterGrid.TILE) / 2;
        assertEquals(0xFF0000, img.getRGB(Tiles.MARGIN + c, Tiles.HEAD + c) & 0xFFFFFF, "a red filter is red");
    }

    @Test
    void aModelWithoutConvolutionIsANamedError() {
        Model m = Sequential.builder().add("flatten", Flatten.of()).add("fc", Dense.of(3)).build()
                .build(Shape.of(1, 2, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FilterGrid.of(m));
        assertTrue(e.getMessage().contains("no Conv2d layer") && e.getMessage().contains("[flatten, fc]"),
                e.getMessage());
        assertThrows(IllegalStateException.class, () -> FilterGrid.of("c", Conv2d.of(2, 3)));
    }
}
