package org.retina.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.retina.data.Dataset;
import org.retina.data.DatasetStore;
import org.retina.data.Datasets;
import org.retina.loss.SoftmaxCrossEntropy;
import org.retina.model.Model;
import org.retina.model.Sequential;
import org.retina.nn.Conv2d;
import org.retina.nn.Dense;
import org.retina.nn.Flatten;
import org.retina.nn.ReLU;
import org.retina.optim.Adam;
import org.retina.optim.RmsProp;
import org.retina.optim.Sgd;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;
import org.retina.testing.TestData;

/** What a Java user meets in the first hour: the calls, and the errors of misuse named in a sentence. */
class ApiTest {

    private static Model small() {
        return Sequential.builder().add("conv", Conv2d.of(4, 3)).add("relu", ReLU.of()).add("flatten", Flatten.of())
                .add("fc", Dense.of(10)).build(Shape.of(1, 28, 28));
    }

    @Test
    void oneBuildOneTrainerOneFit() throws IOException {
        Model m = small();
        assertTrue(m.isBuilt(), "built in one call");
        Dataset data = Datasets.take(DatasetStore.open("mnist", DatasetStore.Split.TRAIN, TestData.dataset("mnist")),
                600);
        Datasets.Split split = Datasets.holdOut(data, 100);
        Trainer t = new Trainer(m, new SoftmaxCrossEntropy(), Adam.Config.of(2e-3));
        History h = t.fit(split.train(), FitOptions.epochs(2).withBatchSize(50).withValidation(split.validation()));
        assertEquals(2, h.epochs().size());
        assertTrue(h.last().hasValidation());
        assertTrue(h.last().loss() < h.epochs().getFirst().loss(), "it learns");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FitOptions.epochs(0));
        assertTrue(e.getMessage().contains("epochs 0, expected 1 or more"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FitOptions.epochs(1).withBatchSize(-5));
        assertTrue(e.getMessage().contains("batch size -5, expected 1 or more"), e.getMessage());

        // one image or a batch; top classes with their names
        Tensor one = split.validation().sample(0);
        Predictions p = Predictions.of(m, one).withClassNames(DatasetStore.MNIST_CLASSES);
        assertEquals(List.of(1, 10), List.of(p.probabilities().dim(0), p.probabilities().dim(1)));
        Predictions.Ranked top = p.topK(0, 3).getFirst();
        assertEquals(DatasetStore.MNIST_CLASSES.get(top.label()), top.name());
        Tensor a = m.predict(one, 8);
        Tensor b = m.predict(split.validation().sample(1), 8);
        assertNotSame(a.data(), b.data(), "predict returns the caller's own tensor");
        assertFalse(java.util.Arrays.equals(a.data(), b.data()));

        Evaluation ev = t.evaluate(split.validation(), 50);
        assertTrue(ev.toString().contains("accuracy") && !ev.toString().contains("[[I@"), ev.toString());
        ev.confusion()[0][0] = -7;
        assertTrue(ev.confusion()[0][0] >= 0, "the evaluation hands out copies");
    }

    @Test
    void misuseIsNamed() {
        ReLU shared = ReLU.of();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sequential.builder()
                .add("conv", Conv2d.of(2, 3)).add("a", shared).add("b", shared).build(Shape.of(1, 6, 6)));
        assertTrue(e.getMessage().contains("nodes 'a' and 'b' are the same ReLU object"), e.getMessage());

        Tensor t = Tensor.zeros(2, 3);
        e = assertThrows(IllegalArgumentException.class, () -> t.copyFrom(Tensor.zeros(3, 2)));
        assertTrue(e.getMessage().contains("shape (3, 2) into one of shape (2, 3)"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> Adam.Config.of(-1e-3));
        assertTrue(e.getMessage().contains("Adam: learning rate -0.001"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Sgd.Config.of(0.1).withMomentum(Double.NaN));
        assertTrue(e.getMessage().contains("Sgd: momentum NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RmsProp.Config.of(0.01).withEps(-1));
        assertTrue(e.getMessage().contains("RmsProp: eps -1.0"), e.getMessage());
        assertEquals(1e-6, RmsProp.Config.of(0.01).withEps(1e-6).eps());
        e = assertThrows(IllegalArgumentException.class, () -> Monitor.of("val_f1"));
        assertTrue(e.getMessage().contains("expected loss, accuracy, val_loss or val_accuracy"), e.getMessage());
    }

    @Test
    void figuresAreTypesAndValidationOnesFallBackToTraining() {
        EpochResult validated = new EpochResult(1, 0.9, 0.6, 0.8, 0.7, 1e-3, 1, 100);
        EpochResult plain = new EpochResult(2, 0.5, 0.8, Double.NaN, Double.NaN, 1e-3, 1, 100);
        assertEquals(0.8, validated.metric(Monitor.VAL_LOSS));
        assertTrue(Double.isNaN(plain.metric(Monitor.VAL_ACCURACY)), "as it is: no validation, no figure");
        assertEquals(0.8, Monitor.VAL_ACCURACY.value(plain), "a monitor falls back to the training figure");
        assertEquals(Monitor.LOSS, Monitor.VAL_LOSS.training());
        assertEquals(Monitor.VAL_ACCURACY, Monitor.ACCURACY.validation());
        History h = new History();
        h.add(validated);
        h.add(plain);
        assertEquals(List.of(0.9, 0.5), java.util.Arrays.stream(h.series(Monitor.LOSS)).boxed().toList());
    }

    private static EpochResult epoch(int n, double valLoss) {
        return new EpochResult(n, 1.0, 0.5, valLoss, 0.5, 1e-3, 1, 100);
    }

    @Test
    void earlyStoppingRestoresTheBestWeights() {
        Model m = small();
        Trainer t = new Trainer(m, new SoftmaxCrossEntropy(), Sgd.Config.of(0.1));
        float[] w = m.namedParameters().get("fc.weight").value().data();
        EarlyStopping es = new EarlyStopping(Monitor.VAL_LOSS, 1, 0, true);
        w[0] = 1;
        es.onEpochEnd(t, epoch(1, 0.9));
        w[0] = 2;
        es.onEpochEnd(t, epoch(2, 0.5)); // the best
        w[0] = 3;
        es.onEpochEnd(t, epoch(3, 0.6));
        assertFalse(es.stopRequested(), "one epoch of patience");
        w[0] = 4;
        es.onEpochEnd(t, epoch(4, 0.7));
        assertTrue(es.stopRequested());
        es.onTrainEnd(t, t.history());
        assertEquals(2, w[0], "the weights of epoch 2 are back");
        assertEquals(2, es.bestEpoch());
    }

    @Test
    void reduceLrOnPlateauScalesTheBaseRate() {
        Model m = small();
        Trainer t = new Trainer(m, new SoftmaxCrossEntropy(), Sgd.Config.of(0.1));
        ReduceLrOnPlateau r = new ReduceLrOnPlateau(Monitor.VAL_LOSS, 0.5, 2, 0, 1, 0.02);
        double[] losses = {1.0, 0.9, 0.95, 0.96, 0.97, 0.98, 0.99, 1.0, 1.1};
        double[] rates = new double[losses.length];
        for (int i = 0; i < losses.length; i++) {
            r.onEpochEnd(t, epoch(i + 1, losses[i]));
            rates[i] = t.baseLearningRate();
        }
        // two epochs without improvement halve the rate; the cooldown epoch ends as the next one starts (Keras
        // counts it so), then two more, and never below the floor of 0.02
        assertArrayEquals(new double[] {0.1, 0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.02, 0.02}, rates, 1e-12);
        r.onEpochEnd(t, epoch(10, 1.2));
        r.onEpochEnd(t, epoch(11, 1.3));
        assertEquals(0.02, t.baseLearningRate(), 1e-12, "never below minLr");
    }
}
