package org.retina.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The thread pool of one {@link Engine}: {@code threads - 1} workers plus the calling thread. Work is split into
 * contiguous chunks whose boundaries depend only on the item count, the grain and the thread count, never on
 * scheduling, so results are the same run after run. Workers spin briefly between kernels (a training step hands
 * work over every few microseconds) and then park. A caller that finds the pool busy (several threads serving
 * predictions) or that is itself inside a parallel region runs the same chunks itself, in order.
 */
final class CpuBackend {
    /** How long an idle worker spins before parking. */
    private static final long SPIN_NANOS = 200_000;

    private final int threads;
    private final Engine engine;
    private final Worker[] workers;
    /** Jobs handed to the workers so far (a job that stays on the calling thread does not count). */
    private final java.util.concurrent.atomic.AtomicLong dispatched = new java.util.concurrent.atomic.AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    /** The current job; a worker that wakes late finds its chunks all claimed and goes back to waiting. */
    private volatile Job job;
    private volatile int generation;
    private volatile boolean shutdown;
    private Thread owner;

    /** One parallel loop: its body, its fixed chunking, and counters for claiming and finishing chunks. */
    private static final class Job {
        final Engine.RangeBody body;
        final int items;
        final int chunks;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        volatile Throwable failure;

        Job(Engine.RangeBody body, int items, int chunks) {
            this.body = body;
            this.items = items;
            this.chunks = chunks;
        }

        /** Claims and runs chunks until none is left. */
        void runChunks() {
            for (int c; (c = next.getAndIncrement()) < chunks; ) {
                try {
                    body.run(c, from(items, chunks, c), from(items, chunks, c + 1));
                } catch (Throwable t) {
                    failure = t;
                } finally {
                    done.incrementAndGet();
                }
            }
        }
    }

    CpuBackend(int threads, Engine engine) {
        this.threads = threads;
        this.engine = engine;
        workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(i + 1);
            workers[i].start();
        }
    }

    static int defaultThreads() {
        String s = System.getenv("RETINA_THREADS");
        if (s == null || s.isBlank()) {
            s = System.getProperty("retina.threads");
        }
        if (s != null && !s.isBlank()) {
            try {
                int t = Integer.parseInt(s.trim());
                if (t >= 1) {
                    return t;
                }
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
            throw new IllegalArgumentException("RETINA_THREADS: '" + s + "', expected a whole number >= 1");
        }
        return Runtime.getRuntime().availableProcessors();
    }

    int threads() {
        return threads;
    }

    long dispatched() {
        return dispatched.get();
    }


    /** The number of chunks {@link #parallelFor(int, int, Engine.RangeBody)} uses for {@code n} items of that grain. */
    int chunks(int n, int grain) {
        int byGrain = (int) Math.min(Integer.MAX_VALUE, ((long) n + Math.max(1, grain) - 1) / Math.max(1, grain));
        return Math.max(1, Math.min(threads, Math.min(n, byGrain)));
    }

    /** The number of chunks {@link #parallelFor(int, Engine.RangeBody)} uses for {@code n} items. */
    int chunks(int n) {
        return chunks(n, 1);
    }

    /** Runs {@code body} over {@code [0, n)} split into at most {@link #threads()} contiguous chunks. */
    void parallelFor(int n, Engine.RangeBody body) {
        parallelFor(n, 1, body);
    }

    /**
     * Runs {@code body} over {@code [0, n)} in {@link #chunks(int, int)} contiguous chunks, each at least
     * {@code grain} items where possible: small jobs stay on the calling thread, where a hand-over costs more
     * than it saves. Chunk {@code c} is {@code [n*c/chunks, n*(c+1)/chunks)}.
     */
    void parallelFor(int n, int grain, Engine.RangeBody body) {
        if (n <= 0) {
            return;
        }
        int chunks = chunks(n, grain);
        if (chunks == 1) {
            body.run(0, 0, n);
            return;
        }
        Thread me = Thread.currentThread();
        if (me instanceof Worker || owner == me || me == Warmup.thread() || !lock.tryLock()) {
            for (int c = 0; c < chunks; c++) {
                body.run(c, from(n, chunks, c), from(n, chunks, c + 1));
            }
            return;
        }
        try {
            owner = me;
            Job j = new Job(body, n, chunks);
            dispatched.incrementAndGet();
            job = j;
            generation++;
            for (Worker w : workers) {
                if (w.parked) {
                    LockSupport.unpark(w);
                }
            }
            j.runChunks();
            long spins = 0;
            while (j.done.get() < chunks) {
                if (++spins < 20_000) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
            job = null;
            Throwable f = j.failure;
            if (f != null) {
                if (f instanceof RuntimeException re) {
                    throw re;
                }
                if (f instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(f);
            }
        } finally {
            owner = null;
            lock.unlock();
        }
    }

    private static int from(int n, int chunks, int c) {
        return (int) ((long) n * c / chunks);
    }

    void shutdown() {
        shutdown = true;
        generation++;
        for (Worker w : workers) {
            LockSupport.unpark(w);
        }
    }

    /** A pool thread: waits for the next job's generation, then helps run its chunks. */
    final class Worker extends Thread {
        volatile boolean parked;

        Worker(int index) {
            super("retina-cpu-" + index);
            setDaemon(true);
        }

        /** The engine whose pool this thread belongs to: kernels it runs ask it, as their caller did. */
        Engine engine() {
            return engine;
        }

        @Override
        public void run() {
            int seen = generation;
            while (true) {
                long spinStart = System.nanoTime();
                int spins = 0;
                while (generation == seen) {
                    if (++spins < 1000 || System.nanoTime() - spinStart < SPIN_NANOS) {
                        Thread.onSpinWait();
                    } else {
                        parked = true;
                        if (generation == seen) {
                            LockSupport.park(this);
                        }
                        parked = false;
                        spins = 0;
                        spinStart = System.nanoTime();
                    }
                }
                seen = generation;
                if (shutdown) {
                    return;
                }
                Job j = job;
                if (j != null) {
                    j.runChunks();
                }
            }
        }
    }

    @Override
    public String toString() {
        return "CpuBackend(threads=" + threads + ")";
    }
}
