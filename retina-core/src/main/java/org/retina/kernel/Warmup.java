package org.retina.kernel;

/**
 * Has the JIT compile the vector kernels before real work uses them. Interpreted, a Vector API operation costs
 * microseconds (it allocates), some 300 times a scalar one, and C2 needs seconds of CPU to compile the kernels; so a
 * fresh JVM would spend its first training step in the interpreter. Instead, kernels start on their scalar twins
 * (the same bits, {@link Engine#vectors()}) while this daemon thread runs every vector path on tiny inputs until
 * they are compiled, then switches the kernels over. {@code -Dretina.warmup=false} starts on the vector code.
 */
final class Warmup {
    /**
     * Scalar kernels only, never switched (the twins are also the fallback for a CPU whose vectors do not help):
     * {@code -Dretina.scalar=true}, or vectors of fewer than 4 floats.
     */
    static final boolean SCALAR = Boolean.getBoolean("retina.scalar") || GemmKernel.L < 4;
    /** Whether kernels start scalar and a warm-up thread switches them (true unless {@code retina.warmup=false}). */
    static final boolean ENABLED = SCALAR || !"false".equals(System.getProperty("retina.warmup"));
    /**
     * Rounds of tiny calls: enough for C2 to compile every path with the -XX:CompileThresholdScaling=0.25 that the
     * launcher gives training. Short commands run without that flag, and the kernels' loops still bring them to C2
     * in time: {@code retina evaluate} of 10,000 images took 5.9 to 6.0 s without it and 6.0 to 6.6 s with it, and
     * four times the rounds (waiting for the calls alone to reach C2) made it slower, 7.6 to 8.2 s, on scalar twins.
     */
    private static final int ROUNDS = 1500;
    private static final long DELAY_MS = 1000;
    private static volatile Thread thread;
    /** Whether the vector kernels are compiled (or the warm-up is switched off): the JVM's state, not an engine's. */
    private static volatile boolean done = !ENABLED;
    private static final long START = System.nanoTime();

    private Warmup() {
    }

    /** Whether {@link Engine.Vectors#AUTO} engines run vector code: the warm-up has finished. */
    static boolean done() {
        return done;
    }

    /** The warm-up thread while it runs: it alone runs vector code before the switch. */
    static Thread thread() {
        return thread;
    }

    /** Starts the warm-up thread once, if enabled and not done. */
    static synchronized void start() {
        if (SCALAR || !ENABLED || thread != null || done) {
            return;
        }
        Thread t = new Thread(Warmup::run, "retina-warmup");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** Waits for the warm-up to end (tests that switch the kernels themselves). */
    static void await() throws InterruptedException {
        Thread t = thread;
        if (t != null) {
            t.join();
        }
    }

    private static void run() {
        try {
            // the program's first second is its own: loading, and the compilation of the scalar kernels it runs,
            // which the vector kernels' compilation would otherwise queue behind
            Thread.sleep(DELAY_MS);
            Tiny tiny = new Tiny();
            for (int round = 0; round < ROUNDS; round++) {
                tiny.round();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            // a warm-up failure must not stop training: the kernels switch to vector code anyway
        } finally {
            done = true;
            thread = null;
            // the library prints nothing: the logging system the program set up decides (System.Logger)
            System.getLogger("org.retina.kernel").log(System.Logger.Level.DEBUG, () -> String.format(
                    java.util.Locale.ROOT, "vector kernels on after %.2f s of warm-up",
                    (System.nanoTime() - START) / 1e9));
        }
    }

    /** Tiny inputs for every vector path: both plan modes, both weight-gradient forms, each tile width. */
    private static final class Tiny {
        private final int l = GemmKernel.L;
        private final ConvGeometry rows = new ConvGeometry(3, 6, 7, 9, 6, 7, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1);
        private final ConvGeometry grid = new ConvGeometry(2, 5, 2 * l + 1, 5, 5, 2 * l + 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1,
                1);
        private final ConvGeometry wide = new ConvGeometry(12, 3, 3, 4 * l + 3, 3, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1);
        private final ConvGeometry pair = new ConvGeometry(12, 3, 3, 2 * l, 3, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1);
        private final ConvGeometry pool = new ConvGeometry(2, 4, 2 * l + 4, 2, 2, l + 2, 2, 2, 2, 2, 0, 0, 0, 0, 1, 1, 2);
        private final ConvGeometry narrow = new ConvGeometry(2, 6, 6, 2, 3, 3, 2, 2, 2, 2, 0, 0, 0, 0, 1, 1, 2);
        private final float[] a = fill(8192);
        private final float[] b = fill(8192);
        private final float[] c = new float[8192];
        private final float[] d = new float[8192];
        private final int[] arg = new int[4096];
        private final float[] stats = new float[8 * 64];

        private static float[] fill(int n) {
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = ((i * 37) % 101) / 50f - 1f;
            }
            return x;
        }

        void round() {
            for (ConvGeometry g : new ConvGeometry[] {rows, grid, wide, pair}) {
                ConvKernels.forward(a, b, b, c, 1, g);
                ConvKernels.backwardData(a, b, d, 1, g);
                ConvKernels.backwardWeights(a, b, c, d, 1, g);
            }
            Gemm.sgemm(false, false, 2 * GemmKernel.MR + 1, GemmKernel.NR + 3, 40, a, 0, 40, b, 0, GemmKernel.NR + 3, c,
                    0, GemmKernel.NR + 3, true);
            Gemm.sgemm(false, true, 3, 9, 2 * l + 3, a, 0, 2 * l + 3, b, 0, 2 * l + 3, c, 0, 9, false);
            Gemm.sgemm(false, false, 3, 2 * l + 3, 5, a, 0, 5, b, 0, 2 * l + 3, c, 0, 2 * l + 3, false);
            for (ConvGeometry g : new ConvGeometry[] {pool, narrow}) {
                PoolKernels.maxForward(a, c, arg, 1, g);
                PoolKernels.maxBackward(b, arg, d, 1, g);
                PoolKernels.avgForward(a, null, c, 1, g, true);
                PoolKernels.avgBackward(b, null, d, 1, g, true);
                int inner = g.inPlane();
                BlockKernels.Planes planes = new BlockKernels.Planes(1, 2, inner);
                BlockKernels.Norm norm = new BlockKernels.Norm(b, b, c, d, c, d, 1e-5f, 0.1f);
                BlockKernels.Stats st = new BlockKernels.Stats(stats, stats, stats, stats);
                BlockKernels.Tail relu = new BlockKernels.Tail(BlockKernels.Act.RELU, new BlockKernels.Pool(g, true));
                BlockKernels.Tail tanh = new BlockKernels.Tail(BlockKernels.Act.TANH, new BlockKernels.Pool(g, false));
                BlockKernels.trainForward(a, planes, norm, st, relu, c, arg, null);
                BlockKernels.trainBackward(b, a, planes, norm, st, relu, arg, null, d);
                BlockKernels.trainForward(a, planes, null, null, tanh, c, null, d);
                BlockKernels.trainBackward(b, a, planes, null, null, tanh, null, d, c);
            }
            NormKernels.batchNormTrain(a, c, b, b, stats, stats, stats, stats, 2, 3, 2 * l + 3, 1e-5f, 0.1f);
            NormKernels.batchNormBackward(a, b, d, b, c, c, stats, stats, 2, 3, 2 * l + 3);
            Activations.relu(a, c, 2 * l + 3);
            Activations.reluBackward(a, b, c, 2 * l + 3);
            Activations.tanh(a, c, 2 * l + 3);
            Activations.tanhBackward(a, b, c, 2 * l + 3);
            Activations.sigmoid(a, c, 2 * l + 3);
            Activations.softmax(a, c, 2, 3, 2 * l + 1);
            Activations.softmax(a, c, 2, 2 * l + 3, 1);
        }
    }
}
