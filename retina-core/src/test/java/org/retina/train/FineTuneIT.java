package org.retina.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.retina.data.Dataset;
import org.retina.data.DatasetStore;
import org.retina.data.Datasets;
import org.retina.data.Relabel;
import org.retina.loss.SoftmaxCrossEntropy;
import org.retina.model.Model;
import org.retina.optim.Adam;
import org.retina.tensor.Parameter;
import org.retina.testing.TestData;
import org.retina.zoo.Zoo;

/**
 * Fine-tuning on real data: the fashion-cnn network trained one epoch on 10,000 images (10 classes),
 * then a new 2-class head (shoes, labels 5, 7, 9, against the rest) trained with everything else frozen.
 * <p>The bound: the majority class (not a shoe) is 70% of the balanced test set, so a head that learned nothing
 * scores 70%. The frozen features already separate the ten classes at about 85% after one epoch, and their
 * confusions lie almost all within the shoes (sandal, sneaker, boot) or within the tops (T-shirt, pullover,
 * coat, shirt), hardly ever across the two groups; a linear head on them is expected near 99%. 95% is far above the
 * majority rate and well below what a working head reaches (the binomial noise on 10,000 images is 0.2%).
 */
class FineTuneIT {

    @Test
    void newHeadLearnsShoesWhileTheRestStaysBitForBit() throws IOException {
        Path dir = TestData.dataset("fashion-mnist");
        Dataset train = DatasetStore.open("fashion-mnist", DatasetStore.Split.TRAIN, dir);
        Dataset test = DatasetStore.open("fashion-mnist", DatasetStore.Split.TEST, dir);
        Model base = Zoo.create("fashion-cnn", 10, 0);
        Trainer t = new Trainer(base, new SoftmaxCrossEntropy(), Adam.Config.of(1e-3).create(base.namedParameters()),
                Trainer.Options.defaults().withSeed(0));
        t.fit(Datasets.take(train, 10_000), null, 1, 64);

        Model tuned = FineTune.replaceHead(base, 2, 7);
        FineTune.freezeAllButHead(tuned);
        String head = FineTune.head(tuned);
        Map<String, float[]> before = new LinkedHashMap<>();
        tuned.namedParameters().forEach((k, p) -> before.put(k, p.value().data().clone()));
        for (Map.Entry<String, Parameter> e : tuned.namedParameters().entrySet()) {
            assertTrue(e.getValue().trainable() == e.getKey().startsWith(head + "."), e.getKey());
            if (!e.getKey().startsWith(head + ".")) {
                assertArrayEquals(base.namedParameters().get(e.getKey()).value().data(), before.get(e.getKey()),
                        "copied from the trained model: " + e.getKey());
            }
        }

        Dataset shoes = Relabel.binary(Datasets.range(train, 10_000, 5_000), 5, 7, 9);
        Trainer ft = new Trainer(tuned, new SoftmaxCrossEntropy(),
                Adam.Config.of(1e-3).create(tuned.namedParameters()), Trainer.Options.defaults().withSeed(1));
        ft.fit(shoes, null, 1, 64);
        Evaluation ev = ft.evaluate(Relabel.binary(test, 5, 7, 9), 500);
        System.out.printf("fine-tuned shoes vs rest: test accuracy %.4f%n", ev.accuracy());

        tuned.namedParameters().forEach((k, p) -> {
            if (k.startsWith(head + ".")) {
                assertFalse(java.util.Arrays.equals(before.get(k), p.value().data()), "the head learned: " + k);
            } else {
                assertArrayEquals(before.get(k), p.value().data(), "frozen, bit for bit: " + k);
            }
        });
        assertTrue(ev.accuracy() >= 0.95, "shoes vs rest accuracy " + ev.accuracy() + ", majority rate 0.70");
    }
}
