package org.retina.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.retina.data.Batch;
import org.retina.data.DataLoader;
import org.retina.data.Dataset;
import org.retina.data.Transform;
import org.retina.device.Accelerator;
import org.retina.device.Devices;
import org.retina.loss.Loss;
import org.retina.loss.Outputs;
import org.retina.model.Model;
import org.retina.nn.Component;
import org.retina.nn.Mode;
import org.retina.optim.GradClip;
import org.retina.optim.LrSchedule;
import org.retina.optim.Optimizer;
import org.retina.optim.OptimizerConfig;
import org.retina.tensor.Tensor;

/**
 * The one epoch loop: mini-batch training with callbacks, validation after each epoch, evaluation. The same
 * seed and thread count give the same losses run after run; a run resumed from its last checkpoint continues
 * exactly where it stopped.
 */
public final class Trainer implements AutoCloseable {

    /** Training settings beside the model, loss and optimizer. */
    public record Options(long seed, LrSchedule schedule, double clipNorm, List<Transform> transforms,
                          boolean nanCheck, String device) {
        /** Copies the transforms, checks the device name and that {@code clipNorm} is not negative (0: no clipping). */
        public Options {
            transforms = List.copyOf(transforms);
            device = Devices.check(device);
            if (clipNorm < 0) {
                throw new IllegalArgumentException("clipNorm " + clipNorm + ", expected >= 0 (0 = no clipping)");
            }
        }

        /** Seed 42, a constant rate, no clipping, no transforms, no NaN check, on the CPU. */
        public static Options defaults() {
            return new Options(42, new LrSchedule.Constant(), 0, List.of(), false, Devices.CPU);
        }

        /** With the seed of shuffling and transforms. */
        public Options withSeed(long s) {
            return new Options(s, schedule, clipNorm, transforms, nanCheck, device);
        }

        /** With a learning-rate schedule, a factor on the optimizer's base rate. */
        public Options withSchedule(LrSchedule s) {
            return new Options(seed, s, clipNorm, transforms, nanCheck, device);
        }

        /** With gradients clipped to a global L2 norm of at most {@code c} before each step; 0 turns clipping off. */
        public Options withClipNorm(double c) {
            return new Options(seed, schedule, c, transforms, nanCheck, device);
        }

        /** With augmentations applied, in order, to every training sample. */
        public Options withTransforms(List<Transform> t) {
            return new Options(seed, schedule, clipNorm, t, nanCheck, device);
        }

        /**
         * With {@code check}, every layer's output, every gradient and every updated parameter is checked after
         * each step, and the first non-finite value stops training naming where it appeared.
         */
        public Options withNanCheck(boolean check) {
            return new Options(seed, schedule, clipNorm, transforms, check, device);
        }

        /** Where training runs: {@code cpu} (the default) or a device such as {@code cuda} ({@link Devices}). */
        public Options withDevice(String d) {
            return new Options(seed, schedule, clipNorm, transforms, nanCheck, d);
        }
    }

    private final Model model;
    private final Loss loss;
    private final Optimizer optimizer;
    private final Options options;
    private double baseLearningRate;
    private History history = new History();
    /** The model compiled for the options' device; null on the CPU or before the first step. */
    private Accelerator accelerator;
    private int completedEpochs;
    private long steps;

    /**
     * A trainer whose optimizer is made from {@code optimizer} for the model's parameters, with
     * {@link Options#defaults()}: the usual way in ({@code new Trainer(model, loss, Adam.Config.of(1e-3))}).
     */
    public Trainer(Model model, Loss loss, OptimizerConfig optimizer) {
        this(model, loss, optimizer.create(model.namedParameters()), Options.defaults());
    }

    /** A trainer whose optimizer is made from {@code optimizer} for the model's parameters. */
    public Trainer(Model model, Loss loss, OptimizerConfig optimizer, Options options) {
        this(model, loss, optimizer.create(model.namedParameters()), options);
    }

    /** A trainer with {@link Options#defaults()}. */
    public Trainer(Model model, Loss loss, Optimizer optimizer) {
        this(model, loss, optimizer, Options.defaults());
    }

    /** A trainer for a built model; the device must be available. */
    public Trainer(Model model, Loss loss, Optimizer optimizer, Options options) {
        if (!model.isBuilt()) {
            throw new IllegalStateException("Trainer: build the model before training it");
        }
        this.model = model;
        this.loss = loss;
        this.optimizer = optimizer;
        this.options = options;
        this.baseLearningRate = optimizer.learningRate();
        if (!options.device().equals(Devices.CPU) && options.nanCheck()) {
            throw new IllegalArgumentException("device " + options.device() + ": --nan-check runs on the cpu device only");
        }
        Devices.requireAvailable(options.device());
    }

    /** The accelerator the steps run on, opened at the first step; null on the CPU. */
    private Accelerator accelerator() {
        if (accelerator == null && !options.device().equals(Devices.CPU)) {
            accelerator = Devices.open(options.device(), model, loss, optimizer, options.seed(), options.clipNorm());
        }
        return accelerator;
    }

    /**
     * Brings the host model and optimizer up to date with the device's (a no-op on the CPU): done after every
     * epoch, before callbacks save checkpoints; call it after {@link #step} loops of your own.
     */
    public void synchronize() {
        if (accelerator != null) {
            accelerator.synchronize();
        }
    }

    /** Waits until the device has finished the queued steps (a no-op on the CPU). */
    public void await() {
        if (accelerator != null) {
            accelerator.await();
        }
    }

    /** Synchronizes and frees the device's memory; the trainer can go on, opening the device again. */
    @Override
    public void close() {
        if (accelerator != null) {
            accelerator.synchronize();
            accelerator.close();
            accelerator = null;
        }
    }

    /**
     * Trains until {@code epochs} epochs are complete in all (a resumed trainer continues from where it stopped),
     * validating after each epoch when {@code validation} is not null.
     */
    public History fit(Dataset train, Dataset validation, int epochs, int batchSize, Callback... callbacks) {
        return fit(train, new FitOptions(epochs, batchSize, validation, List.of(callbacks)));
    }

    /** Trains on {@code train} as {@code fit} says: epochs, batch size, validation data and callbacks. */
    public History fit(Dataset train, FitOptions fit) {
        Dataset validation = fit.validation();
        int epochs = fit.epochs();
        int batchSize = fit.batchSize();
        Callback[] callbacks = fit.callbacks().toArray(Callback[]::new);
        // the model's engine runs everything of the step: its passes, the loss, the optimizer's update
        return model.engine().call(() -> fitHere(train, validation, epochs, batchSize, callbacks));
    }

    private History fitHere(Dataset train, Dataset validation, int epochs, int batchSize, Callback... callbacks) {
        DataChecks.check(model, train, "training");
        if (validation != null) {
            DataChecks.check(model, validation, "validation");
        }
        checkMemory(batchSize);
        DataLoader loader = DataLoader.of(train, batchSize).withShuffle(options.seed)
                .withTransforms(options.transforms);
        for (Callback c : callbacks) {
            c.onTrainBegin(this, epochs);
        }
        int[] predicted = new int[batchSize];
        for (int epoch = completedEpochs + 1; epoch <= epochs; epoch++) {
            int batches = loader.numBatches();
            for (Callback c : callbacks) {
                c.onEpochBegin(epoch, batches);
            }
            long start = System.nanoTime();
            double lossSum = 0;
            long correct = 0;
            long seen = 0;
            int b = 0;
            try (DataLoader.Epoch e = loader.epoch(epoch - 1)) {
                for (Batch batch : e) {
                    double t = (epoch - 1) + (double) b / batches;
                    optimizer.setLearningRate(baseLearningRate * options.schedule.factor(t));
                    double l;
                    try {
                        l = step(batch, predicted);
                    } catch (NanCheck.NonFinite nf) {
                        throw new TrainingDivergedException(epoch, b + 1, steps + 1, nf.where);
                    }
                    if (!Double.isFinite(l)) {
                        throw new TrainingDivergedException(epoch, b + 1, steps, "the loss (" + l + ")"
                                + (options.nanCheck ? "" : "; --nan-check names the layer where it first appears"));
                    }
                    int right = DataChecks.countCorrect(predicted, batch.labels());
                    lossSum += l * batch.size();
                    correct += right;
                    seen += batch.size();
                    b++;
                    double secs = (System.nanoTime() - start) / 1e9;
                    StepResult sr = new StepResult(steps, epoch, b, batches, l, (double) right / batch.size(),
                            optimizer.learningRate());
                    for (Callback c : callbacks) {
                        c.onBatchEnd(epoch, b, batches, lossSum / seen, (double) correct / seen, seen, secs);
                        c.onStepEnd(sr);
                    }
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            synchronize();
            double valLoss = Double.NaN;
            double valAcc = Double.NaN;
            if (validation != null) {
                Evaluation ev = evaluate(validation, batchSize);
                valLoss = ev.loss();
                valAcc = ev.accuracy();
            }
            EpochResult r = new EpochResult(epoch, lossSum / seen, (double) correct / seen, valLoss, valAcc,
                    optimizer.learningRate(), seconds, seen / seconds);
            history.add(r);
            completedEpochs = epoch;
            boolean stop = false;
            for (Callback c : callbacks) {
                c.onEpochEnd(this, r);
                stop |= c.stopRequested();
            }
            if (stop) {
                break;
            }
        }
        for (Callback c : callbacks) {
            c.onTrainEnd(this, history);
        }
        return history;
    }

    /** One optimization step on a batch; writes the predicted classes and returns the batch's mean loss. */
    public double step(Batch batch, int[] predicted) {
        return model.engine().call(() -> stepHere(batch, predicted));
    }

    private double stepHere(Batch batch, int[] predicted) {
        Accelerator acc = accelerator();
        if (acc != null) {
            steps++;
            return acc.trainStep(batch.x(), batch.labels(), optimizer.learningRate(), predicted);
        }
        optimizer.zeroGrad();
        Tensor out;
        if (options.nanCheck) {
            out = model.forward(batch.x(), Mode.TRAIN, (node, v) -> {
                if (!Outputs.allFinite(v)) {
                    Component c = model.node(node).component();
                    throw new NanCheck.NonFinite("the output of layer '" + node + "' (" + c.type() + ")");
                }
            });
        } else {
            out = model.forward(batch.x(), Mode.TRAIN);
        }
        double l = loss.forward(out, batch.labels());
        model.backwardParameters(loss.backward());
        if (options.nanCheck) {
            NanCheck.parameters(model, true);
        }
        if (options.clipNorm > 0) {
            GradClip.byNorm(model.namedParameters().values(), options.clipNorm);
        }
        optimizer.step();
        if (options.nanCheck) {
            NanCheck.parameters(model, false);
        }
        steps++;
        Outputs.argmax(out, predicted);
        return l;
    }

    /** {@link MemoryCheck#check} for this trainer's model and optimizer. */
    void checkMemory(int batchSize) {
        MemoryCheck.check(model, optimizer, batchSize);
    }



    /** Loss, accuracy and confusion matrix of the model (eval mode) on a dataset. */
    public Evaluation evaluate(Dataset data, int batchSize) {
        Accelerator acc = accelerator();
        return model.engine().call(() -> acc != null ? Evaluator.evaluate(model, loss, data, batchSize, acc::forward)
                : Evaluator.evaluate(model, loss, data, batchSize, x -> model.forward(x, Mode.EVAL)));
    }

    /** Loss, accuracy and confusion matrix of {@code model} (eval mode) on a dataset. */
    public static Evaluation evaluate(Model model, Loss loss, Dataset data, int batchSize) {
        return model.engine().call(() -> Evaluator.evaluate(model, loss, data, batchSize,
                x -> model.forward(x, Mode.EVAL)));
    }

    /** {@link #evaluate(Model, Loss, Dataset, int)} with the model run on {@code device}. */
    public static Evaluation evaluate(Model model, Loss loss, Dataset data, int batchSize, String device) {
        try (Accelerator acc = Devices.open(device, model, null, null, Model.DEFAULT_SEED)) {
            return acc != null ? Evaluator.evaluate(model, loss, data, batchSize, acc::forward)
                    : evaluate(model, loss, data, batchSize);
        }
    }


    /**
     * Multiplies the base learning rate, which the schedule then scales, by {@code factor} from the next step on:
     * callbacks such as {@link ReduceLrOnPlateau} adjust the rate this way.
     */
    public void scaleLearningRate(double factor) {
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("scaleLearningRate: factor " + factor + ", expected a finite number > 0");
        }
        baseLearningRate *= factor;
    }

    /** The base learning rate the schedule scales: the optimizer's, unless a callback changed it since. */
    public double baseLearningRate() {
        return baseLearningRate;
    }

    /** The model being trained. */
    public Model model() {
        return model;
    }

    /** The loss being minimized. */
    public Loss loss() {
        return loss;
    }

    /** The optimizer, whose rate the schedule sets at every step. */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** The settings this trainer was made with. */
    public Options options() {
        return options;
    }

    /** The figures of every finished epoch, including those before a resume. */
    public History history() {
        return history;
    }

    /** Epochs finished so far (including those before a resume). */
    public int completedEpochs() {
        return completedEpochs;
    }

    /** The state a checkpoint must hold to resume: epoch, steps, history, optimizer and settings. */
    public Map<String, Object> state() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("completedEpochs", completedEpochs);
        m.put("steps", steps);
        m.put("history", history.toMaps());
        m.put("loss", loss.name());
        m.put("optimizer", optimizer.config().name());
        m.put("baseLearningRate", baseLearningRate);
        m.put("seed", options.seed);
        return m;
    }

    /** The optimizer's state, named for a model file's extra entries. */
    public Map<String, Tensor> optimizerState() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        optimizer.state().forEach((k, v) -> m.put("optimizer/" + k, v));
        return m;
    }

    /**
     * A trainer that continues the run saved in a checkpoint ({@link Checkpoint}'s {@code last.retina}): the model,
     * the optimizer with its state, the epoch count and the history. {@code optimizerConfig} null means the saved
     * optimizer with PyTorch's defaults and the saved base learning rate.
     */
    public static Trainer resume(Path checkpoint, OptimizerConfig optimizerConfig, Options options)
            throws IOException {
        return Resume.from(checkpoint, optimizerConfig, options);
    }

    /** Sets the progress a checkpoint saved. */
    void restore(int epochs, long stepCount, History saved) {
        completedEpochs = epochs;
        steps = stepCount;
        history = saved;
    }

}
