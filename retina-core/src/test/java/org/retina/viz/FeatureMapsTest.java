package org.retina.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.retina.model.Model;
import org.retina.model.Sequential;
import org.retina.nn.Conv2d;
import org.retina.nn.Dense;
import org.retina.nn.Flatten;
import org.retina.nn.ReLU;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

class FeatureMapsTest {
    @TempDir
    Path dir;
    Model model;
    Tensor image;

    /** conv1 copies the image into channel 0 and its negative into channel 1 (1x1 kernels +1 and -1, no bias). */
    @BeforeEach
    void model() {
        model = Sequential.builder().add("conv1", Conv2d.of(2, 1)).add("relu1", ReLU.of())
                .add("flatten", Flatten.of()).add("fc", Dense.of(2)).build().build(Shape.of(1, 4, 4));
        float[] w = model.namedParameters().get("conv1.weight").value().data();
        w[0] = 1;
        w[1] = -1;
        model.namedParameters().get("conv1.bias").value().fill(0);
        image = Tensor.zeros(1, 4, 4);
        for (int p = 0; p < 16; p++) {
            image.data()[p] = p; // darkest top left, brightest bottom right
        }
    }

    @Test
    void everyChannelIsDrawnBesideTheInput() throws IOException {
        BufferedImage img = Pictures.roundTrip(FeatureMaps.of(model, image, "conv1"), dir, "conv1.png");
        int lead = 4 * Draw.scaleFor(4, 2 * FeatureMaps.TILE);
        int side = 4 * Draw.scaleFor(4, FeatureMaps.TILE);
        int y = Tiles.HEAD;
        assertEquals(0x000000, img.getRGB(Tiles.MARGIN + 2, y + 2) & 0xFFFFFF, "input, top left");
        assertEquals(0xFFFFFF, img.getRGB(Tiles.MARGIN + lead - 3, y + lead - 3) & 0xFFFFFF, "input, bottom right");
        int x0 = Tiles.MARGIN + lead + 3 * Tiles.GAP;
        int x1 = x0 + side + Tiles.GAP;
        assertEquals(Draw.viridis(0), img.getRGB(x0 + 2, y + 2) & 0xFFFFFF, "channel 0 is the image: low top left");
        assertEquals(Draw.viridis(1), img.getRGB(x0 + side - 3, y + side - 3) & 0xFFFFFF, "high bottom right");
        assertEquals(Draw.viridis(1), img.getRGB(x1 + 2, y + 2) & 0xFFFFFF, "channel 1 is its negative");
        assertEquals(Draw.viridis(0), img.getRGB(x1 + side - 3, y + side - 3) & 0xFFFFFF);
        // a batch of one is accepted as well and gives the same picture
        BufferedImage again = Pictures.atPoints(FeatureMaps.of(model, image.reshape(1, 1, 4, 4), "conv1"));
        assertEquals(img.getRGB(x1 + 5, y + 5), again.getRGB(x1 + 5, y + 5));
    }

    @Test
    void aChannelReLUSilencesIsFlatAndDark() throws IOException {
        BufferedImage img = Pictures.roundTrip(FeatureMaps.of(model, image, "relu1"), dir, "relu1.png");
        int lead = 4 * Draw.scaleFor(4, 2 * FeatureMaps.TILE);
        int side = 4 * Draw.scaleFor(4, FeatureMaps.TILE);
        int x1 = Tiles.MARGIN + lead + 3 * Tiles.GAP + side + Tiles.GAP;
        assertEquals(side * side, Pictures.count(img, x1, Tiles.HEAD, x1 + side, Tiles.HEAD + side,
                rgb -> rgb == Draw.viridis(0)), "relu(-x) of x >= 0 is zero everywhere");
    }

    @Test
    void layersWithoutMapsAndWrongImagesAreNamedErrors() {
        assertEquals(List.of("conv1", "relu1"), FeatureMaps.layersWithMaps(model));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FeatureMaps.of(model, image, "fc"));
        assertEquals("FeatureMaps: 'fc' outputs (2), not feature maps (C, H, W); layers with maps: conv1, relu1",
                e.getMessage().replace("(2,)", "(2)"));
        e = assertThrows(IllegalArgumentException.class, () -> FeatureMaps.of(model, Tensor.zeros(1, 5, 5), "conv1"));
        assertTrue(e.getMessage().contains("the image is (1, 5, 5), the model expects (1, 4, 4)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FeatureMaps.of(model, image, "conv9"));
        assertTrue(e.getMessage().contains("no node named 'conv9'"), e.getMessage());
    }
}
