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
import org.retina.train.EpochResult;
import org.retina.train.History;
import org.retina.train.StepResult;

class ChartsTest {
    @TempDir
    Path dir;

    /** Loss falling from 1 to 0.1 and accuracy rising, with or without validation figures. */
    static History history(int epochs, boolean validation) {
        History h = new History();
        for (int e = 1; e <= epochs; e++) {
            double loss = 1.0 / e;
            h.add(new EpochResult(e, loss, 1 - loss / 2, validation ? loss * 1.2 : Double.NaN,
                    validation ? 1 - loss / 1.8 : Double.NaN, 1e-3, 2.5, 400));
        }
        return h;
    }

    @Test
    void trainingCurvesDrawBothSeriesInBothPanels() throws IOException {
        BufferedImage img = Pictures.roundTrip(Charts.trainingCurves(history(8, true)), dir, "curves.png");
        assertEquals(2 * Charts.PANEL_WIDTH, img.getWidth());
        assertEquals(Charts.PANEL_HEIGHT, img.getHeight());
        int w = Charts.PANEL_WIDTH;
        int h = img.getHeight();
        for (int panel = 0; panel < 2; panel++) {
            int x0 = panel * w;
            // the plot area lies below the title row; lines and markers are drawn in the series' colours
            assertTrue(Pictures.count(img, x0, 50, x0 + w, h - 50,
                    rgb -> Pictures.near(rgb, Charts.TRAIN.getRGB(), 12)) > 100, "training line in panel " + panel);
            assertTrue(Pictures.count(img, x0, 50, x0 + w, h - 50,
                    rgb -> Pictures.near(rgb, Charts.VALIDATION.getRGB(), 12)) > 100, "validation line in " + panel);
        }
        // loss falls: the training line's highest pixel is left of its lowest one in the loss panel
        int[] highest = extreme(img, 0, w, true);
        int[] lowest = extreme(img, 0, w, false);
        assertTrue(highest[0] < lowest[0] && highest[1] < lowest[1], "the loss line goes down to the right");
        // accuracy rises: in the right panel the highest training pixel is on the right
        assertTrue(extreme(img, w, 2 * w, true)[0] > extreme(img, w, 2 * w, false)[0], "accuracy goes up");
    }

    /** The {x, y} of the topmost (or bottommost) training-coloured pixel in a column range of the plot area. */
    private static int[] extreme(BufferedImage img, int x0, int x1, boolean top) {
        int[] best = null;
        for (int y = 50; y < img.getHeight() - 50; y++) {
            for (int x = x0; x < x1; x++) {
                if (Pictures.near(img.getRGB(x, y) & 0xFFFFFF, Charts.TRAIN.getRGB(), 12)
                        && (best == null || (top ? y < best[1] : y > best[1]))) {
                    best = new int[] {x, y};
                }
            }
        }
        return best;
    }

    @Test
    void withoutValidationThereIsNoValidationColourAndOneEpochStillDraws() throws IOException {
        BufferedImage img = Pictures.roundTrip(Charts.trainingCurves(history(1, false)), dir, "one.png");
        assertEquals(0, Pictures.count(img, 0, 0, img.getWidth(), img.getHeight(),
                rgb -> Pictures.near(rgb, Charts.VALIDATION.getRGB(), 20)), "no validation line or legend");
        assertTrue(Pictures.count(img, 0, 50, img.getWidth(), img.getHeight() - 50,
                rgb -> Pictures.near(rgb, Charts.TRAIN.getRGB(), 12)) > 20, "the single epoch is a marker");
    }

    @Test
    void oneEpochWithItsStepsDrawsCurvesAndAScheduleGetsItsPanel() throws IOException {
        List<StepResult> steps = new java.util.ArrayList<>();
        for (int s = 1; s <= 300; s++) {
            double lr = 1e-3 * (1 - s / 300.0);
            steps.add(new StepResult(s, 1, s, 300, 2.3 / Math.sqrt(s) + 0.1 * Math.sin(s), 1 - 0.9 / Math.sqrt(s),
                    lr));
        }
        BufferedImage lone = Pictures.roundTrip(Charts.trainingCurves(history(1, true)), dir, "lone.png");
        BufferedImage img = Pictures.roundTrip(Charts.trainingCurves(history(1, true), steps), dir, "steps.png");
        assertEquals(3 * Charts.PANEL_WIDTH, img.getWidth(), "loss, accuracy and the learning rate");
        int w = Charts.PANEL_WIDTH;
        int line = Pictures.count(img, 0, 50, w, img.getHeight() - 50,
                rgb -> Pictures.near(rgb, Charts.TRAIN.getRGB(), 12));
        int dot = Pictures.count(lone, 0, 50, w, lone.getHeight() - 50,
                rgb -> Pictures.near(rgb, Charts.TRAIN.getRGB(), 12));
        assertTrue(line > 5 * dot, "a curve, not a lone point: " + line + " pixels against " + dot);
        assertTrue(Pictures.count(img, 2 * w, 50, 3 * w, img.getHeight() - 50,
                rgb -> Pictures.near(rgb, Charts.LEARNING_RATE.getRGB(), 12)) > 100, "the learning rate's line");
        double[] smooth = Charts.smooth(new double[] {4, 4, 4}, 0.9);
        assertEquals(4, smooth[0], 1e-12, "debiased: a constant series stays itself from the first value");
        assertEquals(4, smooth[2], 1e-12);
    }

    @Test
    void emptyHistoryAndMismatchedSeriesAreNamedErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Charts.trainingCurves(new History()));
        assertTrue(e.getMessage().contains("history is empty"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new Charts.Series("loss", new double[2], new double[3], Charts.TRAIN, false));
        assertEquals("series 'loss': 2 x values but 3 y values", e.getMessage());
    }

    @Test
    void ticksAreRoundNumbers() {
        assertEquals(0.2, Charts.niceStep(0.17), 1e-12);
        assertEquals(2.5, Charts.niceStep(3), 1e-12);
        assertEquals(50, Charts.niceStep(40), 1e-12);
        assertEquals(List.of(0.25, 0.5, 0.75), Charts.ticks(0.2, 0.8, 0.25));
        assertEquals("0.25", Charts.format(0.25, 0.25));
        assertEquals("3", Charts.format(3, 1));
        assertEquals("97.5", Charts.format(97.5, 2.5));
        assertEquals("0.0", Charts.format(-0.0, 0.1), "no negative zero");
    }
}
