package org.retina.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.retina.data.Dataset;
import org.retina.data.DatasetStore;
import org.retina.data.Datasets;
import org.retina.io.ModelFile;
import org.retina.loss.SoftmaxCrossEntropy;
import org.retina.model.Model;
import org.retina.model.Sequential;
import org.retina.nn.BatchNorm2d;
import org.retina.nn.Conv2d;
import org.retina.nn.Dense;
import org.retina.nn.Dropout;
import org.retina.nn.Flatten;
import org.retina.nn.MaxPool2d;
import org.retina.nn.ReLU;
import org.retina.optim.Adam;
import org.retina.optim.OptimizerConfig;
import org.retina.tensor.Shape;
import org.retina.testing.TestData;

/** The epoch loop on a slice of real MNIST: determinism, checkpoints, exact resume, early stopping, logs. */
class TrainerTest {
    private static Dataset train;
    private static Dataset validation;

    @BeforeAll
    static void data() throws IOException {
        Dataset all = DatasetStore.open("mnist", DatasetStore.Split.TRAIN, TestData.dataset("mnist"));
        Datasets.Split s = Datasets.holdOut(Datasets.take(all, 1200), 200);
        train = s.train();
        validation = s.validation();
    }

    private static Model net() {
        Model m = Sequential.builder().add("conv", Conv2d.of(4, 3).withPadding(1)).add("bn", BatchNorm2d.of())
                .add("relu", ReLU.of()).add("pool", MaxPool2d.of(2)).add("flatten", Flatten.of())
                .add("drop", Dropout.of(0.2)).add("fc", Dense.of(10)).build();
        return m.build(Shape.of(1, 28, 28), 1);
    }

    private static Trainer trainer(Model m) {
        return new Trainer(m, new SoftmaxCrossEntropy(), Adam.Config.of(3e-3).create(m.namedParameters()),
                Trainer.Options.defaults().withSeed(7));
    }

    @Test
    void sameSeedSameLossesAndTheLossFalls() {
        History a = trainer(net()).fit(train, validation, 2, 32);
        History b = trainer(net()).fit(train, validation, 2, 32);
        assertArrayEquals(a.series(Monitor.LOSS), b.series(Monitor.LOSS));
        assertArrayEquals(a.series(Monitor.VAL_LOSS), b.series(Monitor.VAL_LOSS));
        assertTrue(a.last().loss() < a.epochs().getFirst().loss(), "training loss falls");
        // 1,000 MNIST images, two epochs: a correct small net is far above chance (10%)
        assertTrue(a.last().valAccuracy() > 0.7, "validation accuracy " + a.last().valAccuracy());
    }

    @Test
    void resumingFromTheLastCheckpointContinuesExactly(@TempDir Path dir) throws IOException {
        Path straight = dir.resolve("straight");
        Path split = dir.resolve("split");
        Trainer once = trainer(net());
        once.fit(train, validation, 3, 32, new Checkpoint(straight, Map.of()));
        trainer(net()).fit(train, validation, 1, 32, new Checkpoint(split, Map.of()));
        Trainer resumed = Trainer.resume(split.resolve(Checkpoint.LAST), null, Trainer.Options.defaults());
        assertEquals(1, resumed.completedEpochs());
        resumed.fit(train, validation, 3, 32, new Checkpoint(split, Map.of()));
        Model a = ModelFile.load(straight.resolve(Checkpoint.LAST));
        Model b = ModelFile.load(split.resolve(Checkpoint.LAST));
        for (var e : a.namedParameters().entrySet()) {
            assertArrayEquals(e.getValue().value().data(), b.namedParameters().get(e.getKey()).value().data(),
                    e.getKey() + " after resume");
        }
        for (var e : a.namedBuffers().entrySet()) {
            assertArrayEquals(e.getValue().value().data(), b.namedBuffers().get(e.getKey()).value().data(),
                    e.getKey() + " after resume");
        }
        assertArrayEquals(once.history().series(Monitor.LOSS), resumed.history().series(Monitor.LOSS));
        assertArrayEquals(once.history().series(Monitor.VAL_LOSS), resumed.history().series(Monitor.VAL_LOSS));
    }

    @Test
    void checkpointKeepsTheBestAndLogsEveryEpoch(@TempDir Path dir) throws IOException {
        Checkpoint cp = new Checkpoint(dir, Map.of("classNames", List.of("a")));
        History h = trainer(net()).fit(train, validation, 2, 64, cp, new MetricsLog(dir));
        double best = Math.min(h.epochs().get(0).valLoss(), h.epochs().get(1).valLoss());
        assertEquals(best, cp.best());
        ModelFile.Contents c = ModelFile.read(dir.resolve(Checkpoint.BEST));
        assertEquals(cp.bestEpoch(), ((Number) c.metadata().get("epoch")).intValue());
        List<String> csv = Files.readAllLines(dir.resolve("metrics.csv"));
        assertEquals(3, csv.size(), "header and two epochs");
        assertTrue(csv.getFirst().startsWith("epoch,loss,accuracy,val_loss,val_accuracy"));
        assertEquals(2, Files.readAllLines(dir.resolve("metrics.jsonl")).size());
    }

    @Test
    void earlyStoppingStopsAfterPatience() {
        EarlyStopping never = new EarlyStopping("val_loss", 0, 1e9);
        History h = trainer(net()).fit(train, validation, 5, 64, never);
        assertEquals(2, h.epochs().size(), "epoch 1 sets the best, epoch 2 fails to beat it by 1e9 and stops");
    }

    @Test
    void divergenceIsReportedWithTheStep() {
        Model m = net();
        Trainer t = new Trainer(m, new SoftmaxCrossEntropy(),
                OptimizerConfig.named("sgd", 1e30).create(m.namedParameters()), Trainer.Options.defaults());
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> t.fit(train, null, 1, 32));
        assertTrue(e.getMessage().contains("training diverged at epoch 1, batch"), e.getMessage());
    }

    @Test
    void aTooLargeLearningRateOnTheSeedNetworkIsNamedAndTheCheckpointSurvives(@TempDir Path dir) throws IOException {
        Dataset fashion = Datasets.take(DatasetStore.open("fashion-mnist", DatasetStore.Split.TRAIN,
                TestData.dataset("fashion-mnist")), 1000);
        Model m = org.retina.zoo.Zoo.create("fashion-cnn", 10, 3);
        // a sane first epoch, then a learning rate a trillion times larger
        Trainer t = new Trainer(m, new SoftmaxCrossEntropy(), OptimizerConfig.named("sgd", 0.05)
                .create(m.namedParameters()), Trainer.Options.defaults()
                .withSchedule(new org.retina.optim.LrSchedule.Step(1, 1e12)).withNanCheck(true));
        Path last = dir.resolve(Checkpoint.LAST);
        byte[][] saved = new byte[1][];
        Callback keep = new Callback() {
            @Override
            public void onEpochEnd(Trainer trainer, EpochResult r) {
                try {
                    saved[0] = Files.readAllBytes(last);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> t.fit(fashion, null, 3, 50, new Checkpoint(dir, Map.of()), keep));
        System.out.println(e.getMessage());
        assertEquals(2, e.epoch(), e.getMessage());
        assertTrue(e.getMessage().matches(".*appeared in (the output of layer '\\w+' \\(\\w+\\)|the gradient of "
                + "\\w+\\.\\w+|\\w+\\.\\w+ after the optimizer's update).*"), e.getMessage());
        assertArrayEquals(saved[0], Files.readAllBytes(last), "the epoch-1 checkpoint is untouched");
        assertEquals(1, ((Number) ((Map<?, ?>) ModelFile.read(last).metadata().get("trainer"))
                .get("completedEpochs")).intValue());
    }

    @Test
    void progressBarPrintsPlainLinesWhenNotATerminal() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        trainer(net()).fit(train, validation, 1, 64, new ProgressBar(new PrintStream(buf, true,
                StandardCharsets.UTF_8), false));
        String out = buf.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("Epoch 1/1 (16 batches)"), out);
        assertTrue(out.contains("Epoch 1/1: loss"), out);
        assertTrue(out.contains("val_acc"), out);
        assertTrue(!out.contains("\r"), "no carriage returns in a log");
    }

    @Test
    void evaluationCountsEverySampleOnce() {
        Model m = net();
        Evaluation ev = Trainer.evaluate(m, new SoftmaxCrossEntropy(), validation, 64);
        assertEquals(validation.size(), ev.samples());
        int diag = 0;
        for (int c = 0; c < 10; c++) {
            diag += ev.confusion()[c][c];
        }
        assertEquals(ev.accuracy(), (double) diag / validation.size(), 1e-12);
    }

    @Test
    void aBatchThatCannotFitFailsEarlyWithTheEstimate() {
        Model m = net();
        Trainer t = trainer(m);
        long heap = Runtime.getRuntime().maxMemory();
        // activations take about 2 * 4 * 4.5K floats per sample here: ask for more samples than the heap holds
        int batch = (int) Math.min(Integer.MAX_VALUE / 2, heap / 20_000);
        InsufficientMemoryException e = assertThrows(InsufficientMemoryException.class, () -> t.checkMemory(batch));
        assertTrue(e.getMessage().contains("lower the batch size"), e.getMessage());
        t.checkMemory(64);
    }
}
