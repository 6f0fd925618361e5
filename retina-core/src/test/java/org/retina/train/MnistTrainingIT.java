package org.retina.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.retina.data.Dataset;
import org.retina.data.DatasetStore;
import org.retina.loss.SoftmaxCrossEntropy;
import org.retina.model.Model;
import org.retina.model.Sequential;
import org.retina.nn.BatchNorm2d;
import org.retina.nn.Conv2d;
import org.retina.nn.Dense;
import org.retina.nn.Flatten;
import org.retina.nn.MaxPool2d;
import org.retina.nn.ReLU;
import org.retina.optim.Adam;
import org.retina.tensor.Shape;
import org.retina.testing.TestData;

/**
 * One epoch of a small conv net on the full MNIST training set must reach 95% test accuracy: a wrong gradient,
 * a shuffled label or a broken layer lands far below (a linear model reaches about 92%).
 */
class MnistTrainingIT {

    /** The training settings; a device's subclass trains the same network there. */
    Trainer.Options options() {
        return Trainer.Options.defaults().withSeed(3);
    }

    @Test
    void oneEpochReaches95Percent() throws IOException {
        Dataset train = DatasetStore.open("mnist", DatasetStore.Split.TRAIN, TestData.dataset("mnist"));
        Dataset test = DatasetStore.open("mnist", DatasetStore.Split.TEST, TestData.dataset("mnist"));
        Model m = Sequential.builder().add("conv", Conv2d.of(8, 3).withPadding(1)).add("bn", BatchNorm2d.of())
                .add("relu", ReLU.of()).add("pool", MaxPool2d.of(2)).add("flatten", Flatten.of())
                .add("fc", Dense.of(10)).build().build(Shape.of(1, 28, 28), 3);
        Trainer t = new Trainer(m, new SoftmaxCrossEntropy(), Adam.Config.of(2e-3).create(m.namedParameters()),
                options());
        long start = System.nanoTime();
        History h = t.fit(train, null, 1, 64);
        Evaluation ev = t.evaluate(test, 500);
        System.out.printf("MNIST, 1 epoch on " + options().device() + ": train accuracy %.4f, test accuracy %.4f, %.1f s%n", h.last().accuracy(),
                ev.accuracy(), (System.nanoTime() - start) / 1e9);
        assertTrue(ev.accuracy() >= 0.95, "test accuracy " + ev.accuracy());
    }
}
