package org.retina.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.retina.data.ByteDataset;
import org.retina.data.Dataset;
import org.retina.data.DatasetStore;
import org.retina.loss.SoftmaxCrossEntropy;
import org.retina.model.Model;
import org.retina.model.Sequential;
import org.retina.nn.BatchNorm2d;
import org.retina.nn.Conv2d;
import org.retina.nn.Dense;
import org.retina.nn.Flatten;
import org.retina.nn.GlobalAvgPool2d;
import org.retina.nn.MaxPool2d;
import org.retina.nn.ReLU;
import org.retina.optim.Adam;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;
import org.retina.testing.TestData;
import org.retina.train.Trainer;

/**
 * Grad-CAM checked where the answer is known: MNIST digits pasted at a random place on an empty 56x56 canvas, a
 * small CNN trained on them, and the map's brightest point must lie on the digit's 28x28 square.
 */
class GradCamIT {
    static final int SIDE = 56;

    /** {@code n} digits from {@code src}, each at a random offset; {@code offsets[i]} is (x, y) of image i. */
    static Dataset placed(Dataset src, int n, long seed, int[][] offsets) {
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] pixels = new byte[n * SIDE * SIDE];
        int[] labels = new int[n];
        float[] digit = new float[28 * 28];
        for (int i = 0; i < n; i++) {
            src.copyPixels(i, digit, 0);
            int ox = rnd.nextInt(SIDE - 28 + 1);
            int oy = rnd.nextInt(SIDE - 28 + 1);
            offsets[i] = new int[] {ox, oy};
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    pixels[i * SIDE * SIDE + (oy + y) * SIDE + ox + x] = (byte) Math.round(digit[y * 28 + x] * 255);
                }
            }
            labels[i] = src.label(i);
        }
        return new ByteDataset("placed mnist", Shape.of(1, SIDE, SIDE), pixels, labels, src.classNames());
    }

    @Test
    void theMapPeaksOnTheDigit() throws IOException {
        Dataset train = DatasetStore.open("mnist", DatasetStore.Split.TRAIN, TestData.dataset("mnist"));
        Dataset test = DatasetStore.open("mnist", DatasetStore.Split.TEST, TestData.dataset("mnist"));
        Dataset placedTrain = placed(train, 10000, 1, new int[10000][]);
        int[][] where = new int[200][];
        Dataset placedTest = placed(test, 200, 2, where);
        Model m = Sequential.builder()
                .add("conv1", Conv2d.of(16, 5).withPadding(2)).add("bn1", BatchNorm2d.of()).add("relu1", ReLU.of())
                .add("pool1", MaxPool2d.of(2))
                .add("conv2", Conv2d.of(32, 5).withPadding(2)).add("bn2", BatchNorm2d.of()).add("relu2", ReLU.of())
                .add("pool2", MaxPool2d.of(2))
                .add("conv3", Conv2d.of(64, 3).withPadding(1)).add("bn3", BatchNorm2d.of()).add("relu3", ReLU.of())
                .add("gap", GlobalAvgPool2d.of()).add("flatten", Flatten.of()).add("fc", Dense.of(10))
                .build().build(Shape.of(1, SIDE, SIDE), 3);
        Trainer t = new Trainer(m, new SoftmaxCrossEntropy(), Adam.Config.of(2e-3).create(m.namedParameters()));
        t.fit(placedTrain, null, 3, 64);
        double acc = t.evaluate(placedTest, 100).accuracy();
        assertTrue(acc > 0.8, "the network learned the placed digits: " + acc);

        assertEquals("relu3", GradCam.defaultLayer(m), "the last convolution's activation");
        int hits = 0;
        float[] px = new float[SIDE * SIDE];
        for (int i = 0; i < placedTest.size(); i++) {
            placedTest.copyPixels(i, px, 0);
            GradCam.Cam cam = GradCam.of(m, Tensor.of(px, 1, SIDE, SIDE), null, placedTest.label(i));
            assertEquals(SIDE * SIDE, cam.values().length);
            int ox = where[i][0];
            int oy = where[i][1];
            if (cam.peakX() >= ox && cam.peakX() < ox + 28 && cam.peakY() >= oy && cam.peakY() < oy + 28) {
                hits++;
            }
        }
        // the digit's square covers a quarter of the canvas: a map that ignored the digit would hit about 25%
        double rate = hits / (double) placedTest.size();
        System.out.printf("Grad-CAM peak on the digit in %.1f%% of %d test images (test accuracy %.1f%%)%n",
                100 * rate, placedTest.size(), 100 * acc);
        assertTrue(rate >= 0.9, "peaks on the digit: " + rate);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GradCam.of(m, Tensor.of(px, 1, SIDE, SIDE), "nope", -1));
        assertTrue(e.getMessage().contains("no node named 'nope'"), e.getMessage());

        // at an earlier layer the head holds batch norm: it runs frozen, with its running statistics untouched
        float[] mean = m.namedBuffers().get("bn3.running_mean").value().data().clone();
        float[] var = m.namedBuffers().get("bn3.running_var").value().data().clone();
        GradCam.Cam early = GradCam.of(m, Tensor.of(px, 1, SIDE, SIDE), "relu2", -1);
        assertEquals("relu2", early.layer());
        assertTrue(early.score() != 0, "a class score through the head");
        org.junit.jupiter.api.Assertions.assertArrayEquals(mean,
                m.namedBuffers().get("bn3.running_mean").value().data(), 0f, "running mean untouched");
        org.junit.jupiter.api.Assertions.assertArrayEquals(var,
                m.namedBuffers().get("bn3.running_var").value().data(), 0f, "running variance untouched");
        assertTrue(m.namedParameters().get("bn3.weight").trainable(), "the layer learns again afterwards");
    }
}
