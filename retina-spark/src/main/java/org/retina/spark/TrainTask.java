package org.retina.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.SparkEnv;
import org.apache.spark.broadcast.Broadcast;
import org.retina.data.Dataset;
import org.retina.data.Normalization;
import org.retina.kernel.Engine;
import org.retina.loss.Loss;
import org.retina.model.Model;
import org.retina.optim.Optimizer;
import org.retina.optim.OptimizerConfig;
import org.retina.parallel.DataParallel;
import org.retina.parallel.ShardedTraining;
import org.retina.parallel.SocketCollective;
import org.retina.tensor.Shape;
import org.retina.train.History;
import scala.runtime.AbstractFunction1;

/**
 * The task each worker of the barrier stage runs: it gathers its partition, exchanges addresses with the other
 * tasks once, connects to them and runs its replica of the training ({@link DataParallel#run}). Replica 0 reports
 * progress, writes the checkpoints and returns the trained model.
 */
final class TrainTask extends AbstractFunction1<scala.collection.Iterator<Sample>, scala.collection.Iterator<TrainTask.Result>>
        implements Serializable {
    /**
     * The job property ({@code SparkContext.setLocalProperty}) that injects a fault for tests of recovery:
     * {@code throw:K} fails worker 1's task at step K, {@code halt:K} stops its JVM there; once per checkpoint folder.
     */
    static final String FAULT = "spark.retina.faultInjection";

    /** What replica 0 sends back: the trained model file and the run's history. */
    record Result(byte[] model, List<java.util.Map<String, Object>> history) implements Serializable {
    }

    private final Broadcast<byte[]> model;
    private final Loss loss;
    private final OptimizerConfig optimizer;
    private final DataParallel.Settings settings;
    private final int threads;
    private final int[] sampleShape;
    private final List<String> classNames;
    private final float[] mean;
    private final float[] std;
    private final String checkpoints;
    private final String progress;

    TrainTask(Broadcast<byte[]> model, Loss loss, OptimizerConfig optimizer, DataParallel.Settings settings,
              int threads, Shape sampleShape, List<String> classNames, Normalization normalization,
              String checkpoints, String progress) {
        this.model = model;
        this.loss = loss.copy();
        this.optimizer = optimizer;
        this.settings = settings;
        this.threads = threads;
        this.sampleShape = sampleShape.dims();
        this.classNames = List.copyOf(classNames);
        this.mean = normalization == null ? null : normalization.mean();
        this.std = normalization == null ? null : normalization.std();
        this.checkpoints = checkpoints;
        this.progress = progress;
    }

    @Override
    public scala.collection.Iterator<Result> apply(scala.collection.Iterator<Sample> samples) {
        BarrierTaskContext ctx = BarrierTaskContext.get();
        int rank = ctx.partitionId();
        int workers = ctx.getTaskInfos().length;
        List<Sample> train = new ArrayList<>();
        List<Sample> validation = new ArrayList<>();
        samples.foreach(s -> (s.validation() ? validation : train).add(s));
        Shape shape = Shape.of(sampleShape);
        Dataset part = normalized(SparkData.dataset(train, "training partition " + rank, shape, classNames));
        Dataset val = validation.isEmpty() ? null
                : normalized(SparkData.dataset(validation, "validation partition " + rank, shape, classNames));
        try {
            String host = SparkEnv.get().blockManager().blockManagerId().host();
            ServerSocketChannel server = SocketCollective.listen(host);
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            // one exchange of addresses; replica 0 also names the checkpoint every replica starts from
            String start = rank == 0 && checkpoints != null ? Checkpoints.latest(checkpoints) : null;
            String[] all = ctx.allGather(host + ":" + port + "|" + (start == null ? "" : start));
            List<InetSocketAddress> addresses = new ArrayList<>();
            for (String a : all) {
                String hp = a.substring(0, a.indexOf('|'));
                int colon = hp.lastIndexOf(':');
                addresses.add(new InetSocketAddress(hp.substring(0, colon), Integer.parseInt(hp.substring(colon + 1))));
            }
            String from = all[0].substring(all[0].indexOf('|') + 1);
            try (SocketCollective group = SocketCollective.connect(rank, addresses, server);
                 Engine engine = Engine.cpu(threads)) {
                return run(group, engine, rank, workers, from.isEmpty() ? null : from, part, val);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("retina-spark: worker " + rank + ": " + e.getMessage(), e);
        }
    }

    private Dataset normalized(Dataset d) {
        return mean == null ? d : d.normalized(mean, std);
    }

    private scala.collection.Iterator<Result> run(SocketCollective group, Engine engine, int rank, int workers,
                                                  String checkpoint, Dataset part, Dataset val) throws IOException {
        Model replica;
        Optimizer opt;
        DataParallel.Position position = DataParallel.Position.START;
        History history = new History();
        if (checkpoint != null) {
            Checkpoints.Loaded c = Checkpoints.read(checkpoints, checkpoint);
            replica = c.contents().model();
            opt = optimizer.create(replica.namedParameters());
            opt.loadState(c.optimizerState());
            position = c.position();
            history = c.history();
        } else {
            replica = ShardedTraining.replica(model.value());
            opt = optimizer.create(replica.namedParameters());
        }
        replica.withEngine(engine);
        String fault = java.util.Objects.requireNonNullElse(BarrierTaskContext.get().getLocalProperty(FAULT), "");
        DataParallel.Listener checkpointing = new DataParallel.Listener() {
            @Override
            public void onStep(org.retina.train.StepResult st, double l, double a, long images, double secs) {
                injectFault(fault, rank, st.step());
            }

            @Override
            public void onCheckpoint(Model m, Optimizer o, DataParallel.Position next, History h) {
                if (rank == 0 && checkpoints != null) {
                    try {
                        Checkpoints.write(checkpoints, m, o, next, h);
                    } catch (IOException e) {
                        throw new UncheckedIOException("retina-spark: writing a checkpoint to " + checkpoints
                                + " failed: " + e.getMessage(), e);
                    }
                }
            }
        };
        try (Progress.Client client = new Progress.Client(rank == 0 ? progress : null, checkpointing)) {
            DataParallel.Listener listener = rank == 0 ? client : checkpointing;
            History done = DataParallel.run(group, replica, loss.copy(), opt, part, val, settings, position,
                    history, listener);
            if (rank != 0) {
                return scala.collection.Iterator.empty();
            }
            Result r = new Result(ShardedTraining.toBytes(replica), done.toMaps());
            return scala.jdk.javaapi.CollectionConverters.asScala(List.of(r).iterator());
        }
    }

    /** Fails this worker once at the step named by {@link #FAULT}: a test of recovery, never set otherwise. */
    private void injectFault(String fault, int rank, long step) {
        if (fault.isEmpty() || rank != 1 || checkpoints == null) {
            return;
        }
        String[] f = fault.split(":");
        if (step != Long.parseLong(f[1])) {
            return;
        }
        try {
            if (Checkpoints.markOnce(checkpoints, ".fault-injected")) {
                return;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (f[0].equals("halt")) {
            Runtime.getRuntime().halt(137);
        }
        throw new IllegalStateException("retina-spark: fault injected at step " + step + " (" + FAULT + ")");
    }
}
