package org.retina.kernel;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The pure-Java backend: owns the one thread pool all kernels share, sized by {@code RETINA_THREADS},
 * the system property {@code retina.threads}, or the number of cores. Work is split into a fixed number of
 * contiguous chunks so results depend only on the thread count, never on scheduling.
 */
public final class CpuBackend implements Backend {
    private static volatile CpuBackend instance;

    private final int threads;
    private final ExecutorService pool;

    private CpuBackend(int threads) {
        this.threads = threads;
        AtomicInteger counter = new AtomicInteger();
        this.pool = threads <= 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "retina-cpu-" + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** The shared backend, created on first use. */
    public static CpuBackend get() {
        CpuBackend b = instance;
        if (b == null) {
            synchronized (CpuBackend.class) {
                b = instance;
                if (b == null) {
                    b = new CpuBackend(defaultThreads());
                    instance = b;
                }
            }
        }
        return b;
    }

    /**
     * Sets the number of threads before the first kernel runs (the CLI's {@code --threads}); later calls with
     * another count replace the pool.
     */
    public static synchronized void configure(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads: " + threads + ", expected >= 1");
        }
        CpuBackend old = instance;
        if (old != null && old.threads == threads) {
            return;
        }
        instance = new CpuBackend(threads);
        if (old != null && old.pool != null) {
            old.pool.shutdown();
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

    @Override
    public int threads() {
        return threads;
    }

    /** A body over a range {@code [from, to)} of work items, given the chunk's index. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int chunk, int from, int to);
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into at most {@link #threads()} contiguous chunks, the caller
     * running the first. Chunk boundaries depend only on {@code n} and the thread count.
     */
    public void parallelFor(int n, RangeBody body) {
        int chunks = Math.min(threads, n);
        if (chunks <= 1 || pool == null || Thread.currentThread().getName().startsWith("retina-cpu-")) {
            if (n > 0) {
                body.run(0, 0, n);
            }
            return;
        }
        List<Future<?>> futures = new ArrayList<>(chunks - 1);
        for (int c = 1; c < chunks; c++) {
            int from = (int) ((long) n * c / chunks);
            int to = (int) ((long) n * (c + 1) / chunks);
            int chunk = c;
            futures.add(pool.submit(() -> body.run(chunk, from, to)));
        }
        body.run(0, 0, (int) ((long) n / chunks));
        RuntimeException failure = null;
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = new IllegalStateException("interrupted while waiting for a kernel", e);
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) {
                    failure = re;
                } else if (cause instanceof Error err) {
                    throw err;
                } else {
                    failure = new IllegalStateException(cause);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** The number of chunks {@link #parallelFor} will use for {@code n} items. */
    public int chunks(int n) {
        return Math.max(1, Math.min(threads, n));
    }

    @Override
    public String toString() {
        return "CpuBackend(threads=" + threads + ")";
    }
}
