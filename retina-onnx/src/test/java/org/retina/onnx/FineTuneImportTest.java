package org.retina.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.retina.data.Batch;
import org.retina.data.Dataset;
import org.retina.data.DatasetStore;
import org.retina.loss.SoftmaxCrossEntropy;
import org.retina.model.Model;
import org.retina.optim.Adam;
import org.retina.tensor.Parameter;
import org.retina.tensor.Tensor;
import org.retina.testing.TestData;
import org.retina.train.FineTune;
import org.retina.train.Trainer;
import org.retina.zoo.MobileNetV2;

/**
 * Fine-tuning imported networks through the API, as a PyTorch user would after {@code torch.onnx.export}: a new
 * head, everything up to a module frozen, a few dozen Adam steps on Fashion-MNIST (4 classes, the 28x28 images
 * upscaled into 3x64x64). The loss falls, frozen weights stay the same bit for bit, and batch norm up to the frozen
 * module is frozen too (its running statistics unchanged) while the later ones learn theirs.
 */
class FineTuneImportTest {
    private static final int[] CLASSES = {0, 1, 7, 8};

    /** 128 images of the four classes as a 3x64x64 batch: each pixel doubled, padded by 4, copied to 3 channels. */
    private static Batch batch(int from) throws IOException {
        Dataset d = DatasetStore.open("fashion-mnist", DatasetStore.Split.TRAIN, TestData.dataset("fashion-mnist"));
        int n = 128;
        Tensor x = Tensor.zeros(n, 3, 64, 64);
        int[] labels = new int[n];
        float[] px = new float[28 * 28];
        int k = 0;
        for (int i = from; k < n; i++) {
            int c = List.of(0, 1, 7, 8).indexOf(d.label(i));
            if (c < 0) {
                continue;
            }
            d.copyPixels(i, px, 0);
            for (int ch = 0; ch < 3; ch++) {
                for (int r = 0; r < 56; r++) {
                    for (int q = 0; q < 56; q++) {
                        x.data()[((k * 3 + ch) * 64 + r + 4) * 64 + q + 4] = px[(r / 2) * 28 + q / 2];
                    }
                }
            }
            labels[k++] = c;
        }
        return new Batch(x, labels, new int[n]);
    }

    private static Map<String, float[]> values(Map<String, Parameter> ps) {
        Map<String, float[]> m = new HashMap<>();
        ps.forEach((k, p) -> m.put(k, p.value().data().clone()));
        return m;
    }

    /** Trains 4 epochs of 4 steps of 32 on the batch; returns the mean loss of the first and of the last epoch. */
    private static double[] train(Model m, Batch all) {
        Trainer t = new Trainer(m, new SoftmaxCrossEntropy(), Adam.Config.of(0.003));
        double first = 0;
        double last = 0;
        for (int epoch = 0; epoch < 4; epoch++) {
            double sum = 0;
            for (int s = 0; s < 4; s++) {
                Tensor x = Tensor.zeros(32, 3, 64, 64);
                System.arraycopy(all.x().data(), s * x.size(), x.data(), 0, x.size());
                int[] y = java.util.Arrays.copyOfRange(all.labels(), s * 32, s * 32 + 32);
                sum += t.step(new Batch(x, y, new int[32]), new int[32]);
            }
            if (epoch == 0) {
                first = sum / 4;
            }
            last = sum / 4;
        }
        return new double[] {first, last};
    }

    @Test
    void aTorchvisionResNet18ImportFineTunesWithItsEarlyLayersFrozen() throws IOException {
        Model imported = Onnx.read(TorchvisionImportTest.resource("resnet18-o17.onnx"), "resnet18").model();
        Model m = FineTune.replaceHead(imported, 4, 7);
        m.freezeUntil("layer2.1.relu_1");
        Map<String, float[]> before = values(m.namedParameters());
        double[] loss = train(m, batch(0));
        assertTrue(loss[1] < 0.8 * loss[0], "the loss falls: " + loss[0] + " -> " + loss[1]);
        m.namedParameters().forEach((k, p) -> {
            boolean frozen = k.startsWith("conv1.") || k.startsWith("layer1.") || k.startsWith("layer2.");
            assertTrue(frozen != p.trainable(), k);
            if (frozen) {
                assertArrayEquals(before.get(k), p.value().data(), k + " stays as imported");
            }
        });
        assertFalse(java.util.Arrays.equals(before.get("layer4.1.conv2.weight"),
                m.namedParameters().get("layer4.1.conv2.weight").value().data()), "the later layers learn");
    }

    /**
     * Retina's own ONNX export keeps batch norm as {@code BatchNormalization} (PyTorch's evaluation export folds it
     * into the convolutions): imported and fine-tuned, the frozen batch norms keep their statistics.
     */
    @Test
    void anImportedMobileNetV2FreezesItsBatchNormUpToTheFrozenModule() throws IOException {
        Model zoo = MobileNetV2.create(10, 64).build(5);
        Model imported = Onnx.read(Onnx.toBytes(zoo, Map.of()), "mobilenet_v2").model();
        Model m = FineTune.replaceHead(imported, 4, 7);
        m.freezeUntil("features.10.conv.3");
        Map<String, float[]> stats = values(m.namedBuffers());
        Map<String, float[]> weights = values(m.namedParameters());
        double[] loss = train(m, batch(0));
        assertTrue(loss[1] < 0.8 * loss[0], "the loss falls: " + loss[0] + " -> " + loss[1]);
        assertArrayEquals(stats.get("features.5.conv.1.1.running_mean"),
                m.namedBuffers().get("features.5.conv.1.1.running_mean").value().data(), "a frozen batch norm");
        assertArrayEquals(weights.get("features.5.conv.1.1.weight"),
                m.namedParameters().get("features.5.conv.1.1.weight").value().data(), "its weight");
        assertFalse(java.util.Arrays.equals(stats.get("features.15.conv.1.1.running_mean"),
                m.namedBuffers().get("features.15.conv.1.1.running_mean").value().data()),
                "a later batch norm follows the new data");
    }
}
