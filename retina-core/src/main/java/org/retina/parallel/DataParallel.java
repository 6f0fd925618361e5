package org.retina.parallel;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.retina.data.Batch;
import org.retina.data.DataLoader;
import org.retina.data.Dataset;
import org.retina.data.Transform;
import org.retina.loss.Loss;
import org.retina.loss.Outputs;
import org.retina.model.Model;
import org.retina.nn.Mode;
import org.retina.nn.Replicas;
import org.retina.optim.GradClip;
import org.retina.optim.LrSchedule;
import org.retina.optim.Optimizer;
import org.retina.tensor.Parameter;
import org.retina.tensor.Tensor;
import org.retina.train.EpochResult;
import org.retina.train.Evaluation;
import org.retina.train.History;
import org.retina.train.StepResult;
import org.retina.train.Trainer;

/**
 * One replica's part of a synchronous data-parallel run. Replica {@code r} of {@code N} holds partition {@code r}
 * of the data and shuffles it each epoch with the run's seed; step {@code k} of an epoch is the global batch made
 * of every replica's {@code k}-th shard of {@code batchSize / N} samples. Each replica computes the gradient of
 * the global batch's mean loss over its shard, batch norm adds its statistics up over the replicas, the
 * gradients are summed by the {@link Collective} in rank order, and every replica takes the same optimizer step,
 * so that all replicas hold the same model at every step.
 */
public final class DataParallel {

    private DataParallel() {
    }

    /** What a run does: its length, global batch, seed and the training options every replica applies alike. */
    public record Settings(int epochs, int batchSize, long seed, LrSchedule schedule, double clipNorm,
                           List<Transform> transforms, int checkpointEvery) implements Serializable {
        /** Checks the figures, naming the bad one. */
        public Settings {
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs " + epochs + ", expected 1 or more");
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size " + batchSize + ", expected 1 or more");
            }
            if (!(clipNorm >= 0)) {
                throw new IllegalArgumentException("clipNorm " + clipNorm + ", expected >= 0 (0 = no clipping)");
            }
            if (checkpointEvery < 0) {
                throw new IllegalArgumentException("checkpointEvery " + checkpointEvery
                        + " steps, expected >= 0 (0 = at the end of each epoch only)");
            }
            transforms = List.copyOf(transforms);
        }

        /** {@code epochs} epochs of global batches of {@code batchSize}, seed 42, constant rate, nothing else. */
        public static Settings of(int epochs, int batchSize) {
            return new Settings(epochs, batchSize, 42, new LrSchedule.Constant(), 0, List.of(), 0);
        }

        /** With the seed of the shuffles and transforms. */
        public Settings withSeed(long s) {
            return new Settings(epochs, batchSize, s, schedule, clipNorm, transforms, checkpointEvery);
        }

        /** With a learning-rate schedule, a factor on the optimizer's base rate. */
        public Settings withSchedule(LrSchedule s) {
            return new Settings(epochs, batchSize, seed, s, clipNorm, transforms, checkpointEvery);
        }

        /** With the summed gradients clipped to a global L2 norm of at most {@code c}; 0 turns clipping off. */
        public Settings withClipNorm(double c) {
            return new Settings(epochs, batchSize, seed, schedule, c, transforms, checkpointEvery);
        }

        /** With augmentations applied to every training sample. */
        public Settings withTransforms(List<Transform> t) {
            return new Settings(epochs, batchSize, seed, schedule, clipNorm, t, checkpointEvery);
        }

        /** With a checkpoint every {@code k} steps besides the one at the end of each epoch (0: epochs only). */
        public Settings withCheckpointEvery(int k) {
            return new Settings(epochs, batchSize, seed, schedule, clipNorm, transforms, k);
        }

        /** The samples of each replica's shard: the global batch divided by the replica count. */
        public int shard(int replicas) {
            if (batchSize % replicas != 0) {
                throw new IllegalArgumentException("batch size " + batchSize + " does not split into " + replicas
                        + " equal shards: use a multiple of " + replicas);
            }
            return batchSize / replicas;
        }
    }

    /** Where a run stands: the next epoch (0-based) and batch within it to run, and the steps taken so far. */
    public record Position(int epoch, int batch, long steps) implements Serializable {
        /** The start of a fresh run. */
        public static final Position START = new Position(0, 0, 0);
    }

    /** What a replica reports while it runs; every method does nothing unless overridden. */
    public interface Listener {
        /** After each step: the step's figures, the epoch's running mean loss and accuracy, images and seconds. */
        default void onStep(StepResult step, double epochLoss, double epochAccuracy, long images, double seconds) {
        }

        /** After each epoch, validated when there was validation data. */
        default void onEpoch(EpochResult result) {
        }

        /** When a checkpoint is due: the model and optimizer as they are, and where a resumed run goes on. */
        default void onCheckpoint(Model model, Optimizer optimizer, Position next, History history) {
        }
    }

    /**
     * Runs replica {@code group.rank()} from {@code start} to the end of {@code settings.epochs()}: {@code replica}
     * and {@code optimizer} must hold the same values on every replica. {@code validation} (this replica's part of
     * the validation data, or null) is evaluated after each epoch, its figures summed over the replicas. Returns
     * {@code history} with the new epochs added.
     */
    public static History run(Collective group, Model replica, Loss loss, Optimizer optimizer, Dataset partition,
                              Dataset validation, Settings settings, Position start, History history,
                              Listener listener) {
        return replica.engine().call(() -> new Run(group, replica, loss, optimizer, settings, listener)
                .fit(partition, validation, start, history));
    }

    /**
     * How replica {@code rank} of {@code replicas} serves its partition: shards of {@code batchSize / replicas},
     * shuffled each epoch with the run's seed mixed with the rank (so partitions are shuffled differently), the
     * last partial shard dropped. Step {@code k}'s global batch is every replica's batch {@code k}, in rank order.
     */
    public static DataLoader loader(Dataset partition, int rank, int replicas, Settings settings) {
        return DataLoader.of(partition, settings.shard(replicas))
                .withShuffle(settings.seed() * 0x9E3779B97F4A7C15L + rank)
                .withTransforms(settings.transforms()).withDropLast(true);
    }

    /** The state of one replica's run. */
    private static final class Run {
        private final Collective group;
        private final Model model;
        private final Loss loss;
        private final Optimizer optimizer;
        private final Settings settings;
        private final Listener listener;
        private final int shard;
        private final List<Parameter> trainable = new ArrayList<>();
        private final float[] flat;
        private final double baseRate;

        Run(Collective group, Model model, Loss loss, Optimizer optimizer, Settings settings, Listener listener) {
            this.group = group;
            this.model = model;
            this.loss = loss;
            this.optimizer = optimizer;
            this.settings = settings;
            this.listener = listener;
            this.shard = settings.shard(group.size());
            int total = 0;
            for (Parameter p : optimizer.parameters().values()) {
                if (p.trainable()) {
                    trainable.add(p);
                    total += p.size();
                }
            }
            this.flat = new float[total];
            this.baseRate = optimizer.config().learningRate();
        }

        History fit(Dataset partition, Dataset validation, Position start, History history) {
            int steps = agreedSteps(partition);
            DataLoader loader = loader(partition, group.rank(), group.size(), settings);
            long step = start.steps();
            int[] predicted = new int[shard];
            for (int epoch = start.epoch(); epoch < settings.epochs(); epoch++) {
                int[] order = loader.order(epoch);
                long began = System.nanoTime();
                double[] sums = new double[3];
                for (int b = epoch == start.epoch() ? start.batch() : 0; b < steps; b++) {
                    optimizer.setLearningRate(baseRate * settings.schedule().factor(epoch + (double) b / steps));
                    double[] figures = step(loader.batch(epoch, order, b), predicted);
                    for (int i = 0; i < 3; i++) {
                        sums[i] += figures[i];
                    }
                    step++;
                    double secs = (System.nanoTime() - began) / 1e9;
                    listener.onStep(new StepResult(step, epoch + 1, b + 1, steps, figures[0] / figures[2],
                                    figures[1] / figures[2], optimizer.learningRate()), sums[0] / sums[2],
                            sums[1] / sums[2], (long) sums[2], secs);
                    if (settings.checkpointEvery() > 0 && step % settings.checkpointEvery() == 0 && b + 1 < steps) {
                        listener.onCheckpoint(model, optimizer, new Position(epoch, b + 1, step), history);
                    }
                }
                double seconds = (System.nanoTime() - began) / 1e9;
                Evaluation ev = validation == null ? null : evaluate(validation);
                EpochResult r = new EpochResult(epoch + 1, sums[0] / sums[2], sums[1] / sums[2],
                        ev == null ? Double.NaN : ev.loss(), ev == null ? Double.NaN : ev.accuracy(),
                        optimizer.learningRate(), seconds, sums[2] / seconds);
                history.add(r);
                listener.onEpoch(r);
                listener.onCheckpoint(model, optimizer, new Position(epoch + 1, 0, step), history);
            }
            return history;
        }

        /** Steps per epoch: the fewest full shards any replica's partition holds, agreed by all. */
        private int agreedSteps(Dataset partition) {
            double[] sizes = new double[group.size()];
            sizes[group.rank()] = partition.size();
            group.allReduce(sizes);
            double least = Double.MAX_VALUE;
            for (double s : sizes) {
                least = Math.min(least, s);
            }
            int steps = (int) (least / shard);
            if (steps < 1) {
                throw new IllegalArgumentException("data-parallel training: the smallest partition holds "
                        + (long) least + " samples, fewer than one shard of " + shard + " (batch size "
                        + settings.batchSize() + " over " + group.size() + " replicas)");
            }
            return steps;
        }

        /** One step on this replica's shard; returns the shard's loss sum, correct count and size. */
        private double[] step(Batch batch, int[] predicted) {
            optimizer.zeroGrad();
            Replicas.Sum sum = group::allReduce;
            Tensor out = Replicas.call(sum, () -> model.forward(batch.x(), Mode.TRAIN));
            int n = batch.size();
            double l = loss.forward(out, batch.labels());
            Outputs.argmax(out, predicted);
            // the gradient of the global batch's mean loss: this shard's mean, weighted by its share
            Tensor g = loss.backward();
            float share = (float) ((double) n / settings.batchSize());
            float[] gd = g.data();
            for (int i = 0; i < g.size(); i++) {
                gd[i] *= share;
            }
            Replicas.call(sum, () -> {
                model.backwardParameters(g);
                return null;
            });
            int at = 0;
            for (Parameter p : trainable) {
                System.arraycopy(p.grad().data(), 0, flat, at, p.size());
                at += p.size();
            }
            group.allReduce(flat, 0, flat.length);
            at = 0;
            for (Parameter p : trainable) {
                System.arraycopy(flat, at, p.grad().data(), 0, p.size());
                at += p.size();
            }
            if (settings.clipNorm() > 0) {
                GradClip.byNorm(trainable, settings.clipNorm());
            }
            optimizer.step();
            int right = 0;
            for (int i = 0; i < n; i++) {
                if (predicted[i] == batch.labels()[i]) {
                    right++;
                }
            }
            double[] figures = {l * n, right, n};
            group.allReduce(figures);
            return figures;
        }

        /** Loss, accuracy and confusion over every replica's part of the validation data. */
        private Evaluation evaluate(Dataset part) {
            int classes = Math.max(part.numClasses(), model.outputShape().size());
            double[] totals = part.size() > 0 ? Trainer.evaluate(model, loss, part, shard).totals()
                    : new double[2 + classes * classes];
            group.allReduce(totals);
            return Evaluation.fromTotals(totals, classes, part.classNames());
        }
    }
}
