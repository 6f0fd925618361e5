package org.retina.parallel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.retina.data.Dataset;
import org.retina.data.Datasets;
import org.retina.io.ModelFile;
import org.retina.kernel.Engine;
import org.retina.loss.Loss;
import org.retina.model.Model;
import org.retina.optim.Optimizer;
import org.retina.optim.OptimizerConfig;
import org.retina.tensor.Parameter;
import org.retina.train.History;

/**
 * Data-parallel training in one process: {@code N} replicas of a model, one thread each, on {@code N} contiguous
 * partitions of the data, their gradients summed in rank order. It computes, bit for bit, what the same run
 * computes on {@code N} machines (retina-spark), and to float rounding what one model computes on the same global
 * batches; it is the reference the distributed run is tested against, and a way to check a distributed set-up
 * on one machine.
 */
public final class ShardedTraining {

    private ShardedTraining() {
    }

    /**
     * Trains {@code model} as {@code replicas} replicas of {@code threadsPerReplica} threads each would, and leaves
     * the trained parameters and buffers in {@code model}; the listener hears replica 0.
     */
    public static History fit(Model model, Loss loss, OptimizerConfig optimizer, Dataset train, Dataset validation,
                              int replicas, int threadsPerReplica, DataParallel.Settings settings,
                              DataParallel.Listener listener) {
        if (replicas < 1) {
            throw new IllegalArgumentException("replicas " + replicas + ", expected 1 or more");
        }
        settings.shard(replicas);
        byte[] image = toBytes(model);
        List<Collective> group = LocalCollective.group(replicas);
        List<Model> copies = new ArrayList<>();
        List<Engine> engines = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        History[] histories = new History[replicas];
        try {
            for (int r = 0; r < replicas; r++) {
                Engine engine = Engine.cpu(threadsPerReplica);
                engines.add(engine);
                Model copy = replica(image).withEngine(engine);
                copies.add(copy);
                int rank = r;
                Dataset part = partition(train, rank, replicas);
                Dataset val = validation == null ? null : partition(validation, rank, replicas);
                Thread t = Thread.ofPlatform().name("retina-replica-" + r).start(() -> {
                    try {
                        Optimizer opt = optimizer.create(copy.namedParameters());
                        histories[rank] = DataParallel.run(group.get(rank), copy, loss.copy(), opt, part, val,
                                settings, DataParallel.Position.START, new History(),
                                rank == 0 ? listener : new DataParallel.Listener() { });
                    } catch (Throwable e) {
                        if (failure.compareAndSet(null, e)) {
                            group.forEach(c -> ((LocalCollective) c).abort());
                        }
                    }
                });
                threads.add(t);
            }
            for (Thread t : threads) {
                t.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("ShardedTraining: interrupted", e);
        } finally {
            engines.forEach(Engine::close);
        }
        Throwable f = failure.get();
        if (f instanceof RuntimeException re) {
            throw re;
        }
        if (f != null) {
            throw new IllegalStateException("ShardedTraining: a replica failed: " + f, f);
        }
        copyValues(copies.get(0), model);
        return histories[0];
    }

    /** Partition {@code rank} of {@code parts}: a contiguous range, the first ones a sample smaller when uneven. */
    public static Dataset partition(Dataset data, int rank, int parts) {
        int from = Collective.chunkStart(data.size(), parts, rank);
        return Datasets.range(data, from, Collective.chunkStart(data.size(), parts, rank + 1) - from);
    }

    /** A model file's bytes: how a model travels to its replicas, here and to other machines. */
    public static byte[] toBytes(Model model) {
        try {
            return ModelFile.toBytes(model, Map.of(), Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the model for its replicas: " + e.getMessage(), e);
        }
    }

    /**
     * A replica made from {@link #toBytes}: the same layers and values. Its fused blocks run their batch norm as a
     * layer while replicas are bound ({@link org.retina.nn.ConvBlock}), so that it synchronizes its statistics.
     */
    public static Model replica(byte[] modelFile) {
        try {
            return ModelFile.read(modelFile, "the model sent to this replica").model();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the model sent to this replica: " + e.getMessage(), e);
        }
    }

    /** Copies every parameter and buffer value of {@code from} into the same-named one of {@code to}. */
    public static void copyValues(Model from, Model to) {
        copy(from.namedParameters(), to.namedParameters());
        copy(from.namedBuffers(), to.namedBuffers());
    }

    private static void copy(Map<String, Parameter> from, Map<String, Parameter> to) {
        for (Map.Entry<String, Parameter> e : from.entrySet()) {
            Parameter target = to.get(e.getKey());
            if (target == null) {
                throw new IllegalArgumentException("model has no parameter '" + e.getKey() + "' to copy into");
            }
            target.value().copyFrom(e.getValue().value());
        }
    }
}
