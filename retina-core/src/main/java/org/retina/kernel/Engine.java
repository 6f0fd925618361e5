package org.retina.kernel;

import java.util.function.Supplier;

/**
 * Where kernels run: an execution context with its own thread pool and its choice between the vector kernels and
 * their scalar twins. A model, trainer or predictor is given one ({@code model.withEngine(Engine.cpu(4))}); code
 * that names none runs on the default engine ({@link #defaults()}: {@code RETINA_THREADS}, the system property
 * {@code retina.threads}, or the number of cores). Two models with different engines run side by side in one JVM
 * (Spark executors, a server with one pool per tenant), each on its own threads.
 *
 * <p>The engine a kernel uses is the one bound around the call ({@link #call}, {@link #run}) on the calling thread,
 * or the one that owns the pool thread running it; otherwise the default. Results depend only on the engine's
 * thread count, never on scheduling.
 */
public final class Engine implements AutoCloseable {
    /** How kernels choose between their vector code and their scalar twins (the same bits either way). */
    public enum Vectors {
        /**
         * Scalar twins until the JVM has compiled the vector kernels (a warm-up thread runs them on tiny inputs
         * first, so a fresh JVM does not spend its first steps in the interpreter), then vector code.
         */
        AUTO,
        /** Vector code from the first call. */
        ON,
        /** Scalar twins only. */
        OFF
    }

    private static final ScopedValue<Engine> CURRENT = ScopedValue.newInstance();
    private static volatile Engine fallback;
    /**
     * Open engines whose choice of kernels is not {@link Vectors#AUTO}. While there is none, the JVM's warm-up
     * decides for every engine and kernels skip looking up theirs: the check sits in micro-kernels called
     * thousands of times a step, where a lookup would cost more than the work.
     */
    private static final java.util.concurrent.atomic.AtomicInteger OVERRIDES =
            new java.util.concurrent.atomic.AtomicInteger();
    private final CpuBackend pool;
    private final Vectors vectors;
    private volatile boolean closed;

    private Engine(int threads, Vectors vectors) {
        VectorSupport.require();
        if (threads < 1) {
            throw new IllegalArgumentException("Engine: threads " + threads + ", expected 1 or more");
        }
        this.vectors = vectors;
        this.pool = new CpuBackend(threads, this);
        if (vectors != Vectors.AUTO) {
            OVERRIDES.incrementAndGet();
        }
        if (vectors == Vectors.AUTO) {
            Warmup.start();
        }
    }

    /** A CPU engine with {@code threads} threads (the calling one included), vector code after the warm-up. */
    public static Engine cpu(int threads) {
        return new Engine(threads, Vectors.AUTO);
    }

    /** A CPU engine with {@code threads} threads and the given choice of kernels. */
    public static Engine cpu(int threads, Vectors vectors) {
        return new Engine(threads, vectors);
    }

    /** The default engine, made on first use with {@code RETINA_THREADS}, {@code retina.threads} or the core count. */
    public static Engine defaults() {
        Engine e = fallback;
        if (e == null) {
            synchronized (Engine.class) {
                e = fallback;
                if (e == null) {
                    e = new Engine(CpuBackend.defaultThreads(), Vectors.AUTO);
                    fallback = e;
                }
            }
        }
        return e;
    }

    /**
     * Makes the default engine one of {@code threads} threads (a program's or the command line's {@code --threads});
     * the previous default is closed. Engines given explicitly are not affected.
     */
    public static synchronized Engine setDefaults(int threads) {
        Engine old = fallback;
        if (old != null && old.threads() == threads) {
            return old;
        }
        Engine e = new Engine(threads, Vectors.AUTO);
        fallback = e;
        if (old != null) {
            old.pool.shutdown();
        }
        return e;
    }

    /** The engine kernels called from here use: the one bound around the call, the pool's own, or the default. */
    public static Engine current() {
        if (CURRENT.isBound()) {
            return CURRENT.get();
        }
        if (Thread.currentThread() instanceof CpuBackend.Worker w) {
            return w.engine();
        }
        return defaults();
    }

    /** Runs {@code work} with this engine as the current one on this thread, and returns its result. */
    public <T> T call(Supplier<T> work) {
        if (CURRENT.isBound() && CURRENT.get() == this) {
            return work.get();
        }
        return ScopedValue.where(CURRENT, this).call(work::get);
    }

    /** Runs {@code work} with this engine as the current one on this thread. */
    public void run(Runnable work) {
        if (CURRENT.isBound() && CURRENT.get() == this) {
            work.run();
            return;
        }
        ScopedValue.where(CURRENT, this).run(work);
    }

    /** The threads kernels split work over, the calling one included. */
    public int threads() {
        return pool.threads();
    }

    /** The choice of kernels this engine was made with. */
    public Vectors vectorMode() {
        return vectors;
    }

    /** What kernels ask before choosing their code: {@link #vectors()} of the current engine, cheaply. */
    static boolean vectorsNow() {
        if (OVERRIDES.get() == 0) {
            return Warmup.done() || Thread.currentThread() == Warmup.thread();
        }
        return current().vectors();
    }

    /** Whether kernels run their vector code now (see {@link Vectors}); the warm-up thread always does. */
    public boolean vectors() {
        return switch (vectors) {
            case ON -> true;
            case OFF -> false;
            case AUTO -> Warmup.done() || Thread.currentThread() == Warmup.thread();
        };
    }

    /**
     * Waits at most {@code millis} for the JVM's warm-up to have compiled the vector kernels (benchmarks, which
     * should not time the warm-up); returns whether an {@link Vectors#AUTO} engine runs vector code now.
     */
    public static boolean awaitVectors(long millis) throws InterruptedException {
        defaults();
        long end = System.nanoTime() + millis * 1_000_000;
        while (!Warmup.done() && !Warmup.SCALAR && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        return Warmup.done();
    }

    /** Jobs this engine handed to its worker threads so far: zero for one thread, or for work too small to split. */
    public long parallelJobs() {
        return pool.dispatched();
    }

    /** The number of chunks {@link #parallelFor(int, int, RangeBody)} uses for {@code n} items of that grain. */
    public int chunks(int n, int grain) {
        return pool.chunks(n, grain);
    }

    /** The number of chunks {@link #parallelFor(int, RangeBody)} uses for {@code n} items. */
    public int chunks(int n) {
        return pool.chunks(n);
    }

    /** A body over a range {@code [from, to)} of work items, given the chunk's index. */
    @FunctionalInterface
    public interface RangeBody {
        /** Runs the items {@code [from, to)}, chunk {@code chunk} of the loop. */
        void run(int chunk, int from, int to);
    }

    /** Runs {@code body} over {@code [0, n)} split into at most {@link #threads()} contiguous chunks. */
    public void parallelFor(int n, RangeBody body) {
        pool.parallelFor(n, body);
    }

    /**
     * Runs {@code body} over {@code [0, n)} in {@link #chunks(int, int)} contiguous chunks, each at least
     * {@code grain} items where possible; chunk {@code c} is {@code [n*c/chunks, n*(c+1)/chunks)}.
     */
    public void parallelFor(int n, int grain, RangeBody body) {
        pool.parallelFor(n, grain, body);
    }

    /** Stops this engine's threads; the default engine cannot be closed (it is replaced by {@link #setDefaults}). */
    @Override
    public void close() {
        if (this == fallback) {
            throw new IllegalStateException("the default engine is shared: replace it with Engine.setDefaults");
        }
        if (!closed) {
            closed = true;
            pool.shutdown();
            if (vectors != Vectors.AUTO) {
                OVERRIDES.decrementAndGet();
            }
        }
    }

    @Override
    public String toString() {
        return "Engine(cpu, threads=" + threads() + ", vectors=" + vectors + ")";
    }
}
