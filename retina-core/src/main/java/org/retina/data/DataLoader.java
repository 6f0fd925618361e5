package org.retina.data;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.retina.tensor.Rng;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * Batches of a dataset, epoch by epoch: the order of epoch {@code e} depends only on {@code (seed, e)} and the
 * transforms of a sample only on {@code (seed, e, index)}, so the same seed gives the same batches bit for bit,
 * whatever the threads; a daemon thread prepares up to {@code prefetch} batches ahead of the consumer.
 * <pre>{@code
 * DataLoader loader = DataLoader.of(train, 64).withShuffle(seed).withTransforms(List.of(new RandomCrop(4)));
 * for (Batch b : loader.epoch(e)) { ... b.x() (N, C, H, W), b.labels() ... }
 * }</pre>
 * Leaving the loop early is fine: close the {@link Epoch} (try-with-resources) to stop its thread at once;
 * an abandoned iterator's thread stops by itself once the iterator is garbage-collected.
 */
public final class DataLoader {
    private static final long SHUFFLE_SALT = 0x5DEECE66DL;
    private static final long TRANSFORM_SALT = 0x2545F4914F6CDD1DL;
    private static final long POLL_MS = 100;

    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final List<Transform> transforms;
    private final boolean dropLast;
    private final int prefetch;

    private DataLoader(Dataset dataset, int batchSize, boolean shuffle, long seed, List<Transform> transforms,
                       boolean dropLast, int prefetch) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("DataLoader: batch size is " + batchSize + ", expected >= 1");
        }
        if (prefetch < 0 || prefetch > 8) {
            throw new IllegalArgumentException("DataLoader: prefetch is " + prefetch
                    + ", expected 0 (no thread) to 8 batches");
        }
        this.dataset = dataset;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.seed = seed;
        this.transforms = List.copyOf(transforms);
        this.dropLast = dropLast;
        this.prefetch = prefetch;
    }

    /** Batches of {@code batchSize} in dataset order, last partial batch kept, no transforms, prefetch 2. */
    public static DataLoader of(Dataset dataset, int batchSize) {
        return new DataLoader(dataset, batchSize, false, 0, List.of(), false, 2);
    }

    /** Shuffles every epoch with a permutation drawn from {@code (seed, epoch)}; the seed also drives transforms. */
    public DataLoader withShuffle(long seed) {
        return new DataLoader(dataset, batchSize, true, seed, transforms, dropLast, prefetch);
    }

    /** Sets the seed of shuffling and transforms without turning shuffling on or off (default 0). */
    public DataLoader withSeed(long seed) {
        return new DataLoader(dataset, batchSize, shuffle, seed, transforms, dropLast, prefetch);
    }

    /** Applies {@code transforms} in order to every sample, on [0, 1] pixels before normalization. */
    public DataLoader withTransforms(List<Transform> transforms) {
        return new DataLoader(dataset, batchSize, shuffle, seed, transforms, dropLast, prefetch);
    }

    /** Drops the last batch when it is smaller than the batch size. */
    public DataLoader withDropLast(boolean dropLast) {
        return new DataLoader(dataset, batchSize, shuffle, seed, transforms, dropLast, prefetch);
    }

    /** How many batches the background thread may prepare ahead; 0 prepares each batch on the caller's thread. */
    public DataLoader withPrefetch(int batches) {
        return new DataLoader(dataset, batchSize, shuffle, seed, transforms, dropLast, batches);
    }

    /** The dataset the batches are drawn from. */
    public Dataset dataset() {
        return dataset;
    }

    /** The number of samples per batch; only the last batch may be smaller. */
    public int batchSize() {
        return batchSize;
    }

    /** Whether the last batch is dropped when it is smaller than the batch size. */
    public boolean dropLast() {
        return dropLast;
    }

    /** Batches per epoch. */
    public int numBatches() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** Samples per epoch: the dataset size, less the dropped partial batch. */
    public int samplesPerEpoch() {
        return dropLast ? numBatches() * batchSize : dataset.size();
    }

    /** The dataset indices of epoch {@code epoch}, in the order they are served. */
    public int[] order(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("DataLoader: epoch is " + epoch + ", expected >= 0");
        }
        int[] order = new int[dataset.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (shuffle) {
            new Rng(mix(mix(seed, SHUFFLE_SALT), epoch)).shuffle(order);
        }
        return order;
    }

    /** The batches of epoch {@code epoch}; iterate it once or several times, close it to stop its threads. */
    public Epoch epoch(int epoch) {
        return new Epoch(epoch, order(epoch));
    }

    /**
     * Batch {@code k} of epoch {@code epoch}, whose order {@link #order} gave: what iterating the epoch serves at
     * place {@code k}, for a run that resumes in the middle of an epoch or serves batches in its own loop.
     */
    public Batch batch(int epoch, int[] order, int k) {
        if (k < 0 || k >= (order.length + batchSize - 1) / batchSize) {
            throw new IndexOutOfBoundsException("DataLoader: batch " + k + " of an epoch of " + order.length
                    + " samples in batches of " + batchSize);
        }
        return makeBatch(epoch, order, k);
    }

    /** Batch {@code k} of an epoch whose order is {@code order}. */
    Batch makeBatch(int epoch, int[] order, int k) {
        int from = k * batchSize;
        int m = Math.min(batchSize, order.length - from);
        Shape shape = dataset.sampleShape();
        int per = shape.size();
        float[] x = new float[m * per];
        int[] labels = new int[m];
        int[] indices = new int[m];
        Optional<Normalization> norm = dataset.normalization();
        for (int j = 0; j < m; j++) {
            int idx = order[from + j];
            int off = j * per;
            indices[j] = idx;
            labels[j] = dataset.label(idx);
            if (transforms.isEmpty()) {
                dataset.copySample(idx, x, off);
                continue;
            }
            dataset.copyPixels(idx, x, off);
            Rng rng = new Rng(mix(mix(mix(seed, TRANSFORM_SALT), epoch), idx));
            for (Transform t : transforms) {
                t.apply(x, off, shape, rng);
            }
            if (norm.isPresent()) {
                norm.get().apply(x, off, shape);
            }
        }
        return new Batch(Tensor.wrap(x, shape.withBatch(m)), labels, indices);
    }

    /** A strong 64-bit mix of two values (the SplitMix64 finalizer over a golden-ratio combination). */
    static long mix(long a, long b) {
        long z = a * 0x9E3779B97F4A7C15L + b + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public String toString() {
        return "DataLoader(" + dataset.size() + " samples, batch " + batchSize + (shuffle ? ", shuffle seed " + seed
                : "") + (transforms.isEmpty() ? "" : ", transforms " + transforms) + (dropLast ? ", drop last" : "")
                + ")";
    }

    /** The batches of one epoch; closing it stops the threads of the iterators it handed out. */
    public final class Epoch implements Iterable<Batch>, AutoCloseable {
        private final int epoch;
        private final int[] order;
        private final List<Producer> producers = new ArrayList<>();

        private Epoch(int epoch, int[] order) {
            this.epoch = epoch;
            this.order = order;
        }

        /** The epoch's number, which with the seed fixes its order and transforms. */
        public int index() {
            return epoch;
        }

        /** Batches in this epoch, as {@link DataLoader#numBatches()}. */
        public int numBatches() {
            return DataLoader.this.numBatches();
        }

        @Override
        public Iterator<Batch> iterator() {
            if (prefetch == 0) {
                return new Direct();
            }
            Prefetching it = new Prefetching();
            synchronized (producers) {
                producers.add(it.producer);
            }
            return it;
        }

        @Override
        public void close() {
            synchronized (producers) {
                producers.forEach(Producer::stop);
                producers.clear();
            }
        }

        private String where(int k) {
            return "DataLoader: epoch " + epoch + ", batch " + k + " of " + numBatches();
        }

        /** Prepares each batch on the caller's thread. */
        private final class Direct implements Iterator<Batch> {
            private int next;

            @Override
            public boolean hasNext() {
                return next < numBatches();
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException(where(next) + ": no more batches");
                }
                int k = next++;
                try {
                    return makeBatch(epoch, order, k);
                } catch (RuntimeException e) {
                    throw new IllegalStateException(where(k) + ": " + describe(e), e);
                }
            }
        }

        /** Takes batches from a daemon thread that prepares them ahead. */
        private final class Prefetching implements Iterator<Batch>, AutoCloseable {
            private final Producer producer;
            private Object head;
            private boolean done;
            private int served;

            Prefetching() {
                producer = new Producer(DataLoader.this, epoch, order, numBatches(), prefetch, this);
            }

            @Override
            public boolean hasNext() {
                if (done) {
                    return false;
                }
                if (head == null) {
                    head = producer.take(where(served));
                }
                if (head == Producer.END) {
                    done = true;
                    head = null;
                    return false;
                }
                return true;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException(where(served) + ": no more batches");
                }
                Object item = head;
                head = null;
                if (item instanceof Failure f) {
                    done = true;
                    producer.stop();
                    throw new IllegalStateException(where(f.batch) + ": " + describe(f.error), f.error);
                }
                served++;
                return (Batch) item;
            }

            @Override
            public void close() {
                done = true;
                producer.stop();
            }
        }
    }

    private static String describe(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** A batch that could not be prepared. */
    private record Failure(int batch, Throwable error) {
    }

    /** The background work of one iterator; it holds its iterator weakly so that abandoning it ends the thread. */
    private static final class Producer implements Runnable {
        static final Object END = new Object();

        private final DataLoader loader;
        private final int epoch;
        private final int[] order;
        private final int batches;
        private final BlockingQueue<Object> queue;
        private final WeakReference<Object> owner;
        private volatile boolean stopped;
        private volatile Thread thread;

        Producer(DataLoader loader, int epoch, int[] order, int batches, int capacity, Object owner) {
            this.loader = loader;
            this.epoch = epoch;
            this.order = order;
            this.batches = batches;
            this.queue = new ArrayBlockingQueue<>(capacity);
            this.owner = new WeakReference<>(owner);
        }

        @Override
        public void run() {
            for (int k = 0; k < batches; k++) {
                Object item;
                try {
                    item = loader.makeBatch(epoch, order, k);
                } catch (Throwable t) {
                    item = new Failure(k, t);
                }
                if (!put(item) || item instanceof Failure) {
                    return;
                }
            }
            put(END);
        }

        private boolean put(Object item) {
            try {
                while (!stopped) {
                    if (owner.get() == null) {
                        stopped = true; // the iterator was abandoned and collected
                        break;
                    }
                    if (queue.offer(item, POLL_MS, TimeUnit.MILLISECONDS)) {
                        return true;
                    }
                }
            } catch (InterruptedException e) {
                stopped = true;
            }
            return false;
        }

        /** The next item; starts the thread on first use. */
        Object take(String where) {
            if (stopped) {
                throw new IllegalStateException(where + ": the epoch was closed");
            }
            synchronized (this) {
                if (thread == null) {
                    thread = Thread.ofPlatform().daemon().name("retina-loader-epoch-" + epoch).unstarted(this);
                    thread.start();
                }
            }
            try {
                while (true) {
                    Object item = queue.poll(POLL_MS, TimeUnit.MILLISECONDS);
                    if (item != null) {
                        return item;
                    }
                    if (stopped) {
                        throw new IllegalStateException(where + ": the epoch was closed");
                    }
                    if (!thread.isAlive() && queue.isEmpty()) {
                        throw new IllegalStateException(where + ": the loader thread ended without a batch");
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(where + ": interrupted while waiting for the batch", e);
            }
        }

        void stop() {
            stopped = true;
            Thread t = thread;
            if (t != null) {
                t.interrupt();
            }
            queue.clear();
        }
    }
}
