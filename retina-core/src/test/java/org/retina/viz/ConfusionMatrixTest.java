package org.retina.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.retina.data.DatasetStore;
import org.retina.train.Evaluation;

class ConfusionMatrixTest {
    @TempDir
    Path dir;

    private static final int[][] COUNTS = {{50, 2, 0}, {3, 40, 1}, {0, 5, 9}};
    private static final List<String> NAMES = List.of("cat", "dog", "bird");

    /** The colour of cell (r, c) near its top-left corner, away from the count written in its middle. */
    private static int cell(BufferedImage img, ConfusionMatrix.Layout at, int r, int c) {
        return img.getRGB(at.left() + c * at.cell() + 4, at.top() + r * at.cell() + 4) & 0xFFFFFF;
    }

    @Test
    void theDarkestCellHoldsTheLargestCountAndDarknessFollowsCounts() throws IOException {
        BufferedImage img = Pictures.roundTrip(ConfusionMatrix.of(new Evaluation(0.4, 0.82, COUNTS, NAMES)), dir,
                "confusion.png");
        ConfusionMatrix.Layout at = ConfusionMatrix.layout(NAMES.toArray(String[]::new));
        assertEquals(Draw.blues(1), cell(img, at, 0, 0), "50, the largest count, is the darkest blue");
        assertEquals(Draw.blues(0), cell(img, at, 0, 2), "a zero is the lightest");
        for (int a = 0; a < 9; a++) {
            for (int b = 0; b < 9; b++) {
                int ca = COUNTS[a / 3][a % 3];
                int cb = COUNTS[b / 3][b % 3];
                if (ca > cb) {
                    int la = Pictures.luminance(cell(img, at, a / 3, a % 3));
                    int lb = Pictures.luminance(cell(img, at, b / 3, b % 3));
                    assertTrue(la < lb, "count " + ca + " is darker than " + cb + ": " + la + " vs " + lb);
                }
            }
        }
        int x = at.left();
        int y = at.top();
        assertTrue(Pictures.count(img, x, y, x + at.cell(), y + at.cell(), rgb -> Pictures.luminance(rgb) > 200) > 10,
                "the count in a dark cell is written in white");
        assertFalse(at.slanted(), "short names stand upright");
    }

    @Test
    void theColourBarBesideACountHasTheColourOfItsCells() throws IOException {
        BufferedImage img = Pictures.roundTrip(ConfusionMatrix.of(new Evaluation(0.4, 0.82, COUNTS, NAMES)), dir,
                "bar.png");
        ConfusionMatrix.Layout at = ConfusionMatrix.layout(NAMES.toArray(String[]::new));
        int size = 3 * at.cell();
        int barMid = at.left() + size + 24 + 8;
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                int v = COUNTS[r][c];
                double y = at.top() + (1 - ConfusionMatrix.shade(v, 50)) * size;
                // a point inside the bar next to v's height (the bar's ends are its frame)
                int yy = (int) Math.round(Math.clamp(y, at.top() + 2, at.top() + size - 2));
                int bar = img.getRGB(barMid, yy) & 0xFFFFFF;
                assertTrue(Pictures.near(bar, cell(img, at, r, c), 14), "count " + v + ": bar "
                        + Integer.toHexString(bar) + ", cell " + Integer.toHexString(cell(img, at, r, c)));
            }
        }
    }

    @Test
    void longClassNamesAreSlantedAndNotClipped() throws IOException {
        int[][] counts = new int[10][10];
        for (int i = 0; i < 10; i++) {
            counts[i][i] = 90 + i;
            counts[i][(i + 1) % 10] = i;
        }
        List<String> names = DatasetStore.FASHION_MNIST_CLASSES;
        Pictures.roundTrip(ConfusionMatrix.of("fashion", counts, names), dir, "fashion.png");
        assertTrue(ConfusionMatrix.layout(names.toArray(String[]::new)).slanted());
    }

    @Test
    void aMatrixThatIsNotSquareIsANamedError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfusionMatrix.of("t", new int[][] {{1, 2}, {3}}, NAMES));
        assertEquals("ConfusionMatrix: a row has 1 counts, expected 2 (a square matrix)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.of("t", new int[0][0], NAMES));
    }
}
