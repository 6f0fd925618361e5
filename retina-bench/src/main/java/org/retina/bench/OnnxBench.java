package org.retina.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.retina.kernel.Engine;
import org.retina.model.Model;
import org.retina.nn.Mode;
import org.retina.onnx.Onnx;
import org.retina.tensor.Rng;
import org.retina.tensor.Tensor;

/**
 * {@code retina bench --model FILE.onnx [--batch N] [--compare onnxruntime]}: inference of any ONNX file, imported
 * by Retina and, with {@code --compare}, run by ONNX Runtime's Java API in the same process (CPU, all graph
 * optimisations, the same intra-op threads, one inter-op thread): the latency of one image (median) and the
 * images/s of a batch, each after a warm-up as long as the measurement. The engines alternate per figure, and the
 * outputs of the two are compared once, so that a figure of a wrong network is never reported.
 */
final class OnnxBench {
    private OnnxBench() {
    }

    /** One engine: runs a batch and returns its output values. */
    private interface Engine1 extends AutoCloseable {
        float[] run(Tensor x);

        @Override
        void close() throws Exception;
    }

    static void run(String[] args) throws Exception {
        Path file = null;
        int batch = 8;
        int threads = Engine.current().threads();
        double seconds = 5;
        boolean compare = false;
        boolean profile = false;
        int rounds = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--model" -> file = Path.of(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--profile" -> profile = true;
                case "--compare" -> {
                    String what = args[++i];
                    if (!what.equals("onnxruntime")) {
                        throw new IllegalArgumentException("bench --model: --compare " + what + ", expected"
                                + " onnxruntime");
                    }
                    compare = true;
                }
                default -> throw new IllegalArgumentException("bench --model: unknown option '" + args[i] + "';"
                        + " expected --model FILE.onnx [--batch N] [--threads N] [--seconds S] [--rounds R]"
                        + " [--compare onnxruntime]");
            }
        }
        if (file == null || !Files.isRegularFile(file)) {
            throw new IllegalArgumentException("bench --model: " + file + " is not a file; expected an .onnx file");
        }
        if (batch < 1) {
            throw new IllegalArgumentException("bench --model: --batch " + batch + ", expected >= 1");
        }
        Engine.setDefaults(threads);
        Engine.awaitVectors(120_000);
        byte[] bytes = Files.readAllBytes(file);
        Model model = Onnx.read(bytes, file.toString()).model();
        int[] sample = model.inputShape().dims();
        Rng rng = new Rng(1);
        Tensor one = input(1, sample, rng);
        Tensor many = input(batch, sample, rng);
        if (profile) {
            profile(model, batch == 1 ? one : many, seconds);
            return;
        }
        List<String> names = new ArrayList<>(List.of("retina"));
        List<Engine1> engines = new ArrayList<>(List.of(retina(model)));
        if (compare) {
            names.add("onnxruntime");
            engines.add(ort(bytes, threads));
            check(engines.get(0).run(many), engines.get(1).run(many), file);
        }
        System.out.printf(Locale.ROOT, "%s: input %s, %d threads, batch %d, %s per figure after an equal warm-up%n",
                file.getFileName(), model.inputShape(), threads, batch, seconds + " s");
        double[][] latency = new double[engines.size()][rounds];
        double[][] ips = new double[engines.size()][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int e = 0; e < engines.size(); e++) {
                Engine1 en = engines.get(e);
                latency[e][r] = 1e3 * Measure.median(Measure.timed(() -> en.run(one), seconds, 5));
                ips[e][r] = batch / Measure.median(Measure.timed(() -> en.run(many), seconds, 3));
            }
        }
        System.out.printf(Locale.ROOT, "%-12s %14s %16s%n", "engine", "batch 1 (ms)", "batch " + batch + " (img/s)");
        for (int e = 0; e < engines.size(); e++) {
            System.out.printf(Locale.ROOT, "%-12s %14.2f %16.1f%n", names.get(e), Measure.median(latency[e]),
                    Measure.median(ips[e]));
        }
        if (compare) {
            System.out.printf(Locale.ROOT, "%-12s %13.2fx %15.2fx   (above 1: Retina faster)%n", "ratio",
                    Measure.median(latency[1]) / Measure.median(latency[0]),
                    Measure.median(ips[0]) / Measure.median(ips[1]));
        }
        for (Engine1 en : engines) {
            en.close();
        }
    }

    /**
     * Where a forward pass goes, layer by layer (unfused, as an observer makes it run): the time between
     * consecutive node outputs, summed by kind of layer (convolutions by kernel and grouping), after a warm-up.
     */
    private static void profile(Model model, Tensor x, double seconds) {
        Map<String, Double> byKind = new java.util.TreeMap<>();
        long[] last = new long[1];
        Model.NodeObserver timer = (node, v) -> {
            long now = System.nanoTime();
            String kind = kind(model.node(node).component());
            byKind.merge(kind, (now - last[0]) / 1e6, Double::sum);
            last[0] = now;
        };
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            last[0] = System.nanoTime();
            model.forward(x, Mode.EVAL, timer);
        }
        byKind.clear();
        int runs = 0;
        end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            last[0] = System.nanoTime();
            model.forward(x, Mode.EVAL, timer);
            runs++;
        }
        double total = byKind.values().stream().mapToDouble(Double::doubleValue).sum();
        int n = runs;
        System.out.printf(Locale.ROOT, "layer by layer, batch %d, %d runs: %.2f ms a forward pass%n", x.dim(0), runs,
                total / runs);
        byKind.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> System.out.printf(Locale.ROOT, "  %-28s %8.2f ms  %5.1f%%%n", e.getKey(),
                        e.getValue() / n, 100 * e.getValue() / total));
    }

    private static String kind(org.retina.nn.Component c) {
        if (c instanceof org.retina.nn.Conv2d conv) {
            org.retina.kernel.ConvGeometry g = conv.geometry();
            String k = g.kH() + "x" + g.kW();
            String groups = g.groups() == 1 ? "" : g.groups() == g.inC() ? " depthwise" : " grouped";
            return "Conv2d " + k + groups + (g.strideH() > 1 ? " s" + g.strideH() : "");
        }
        return c.type();
    }

    private static Tensor input(int n, int[] sample, Rng rng) {
        int[] dims = new int[sample.length + 1];
        dims[0] = n;
        System.arraycopy(sample, 0, dims, 1, sample.length);
        Tensor x = Tensor.zeros(dims);
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = rng.nextFloat() * 2 - 1;
        }
        return x;
    }

    /** Both engines' outputs for one batch agree within 1e-3 of the scale, or the figures would mean nothing. */
    private static void check(float[] a, float[] b, Path file) {
        double scale = 0;
        double diff = 0;
        for (int i = 0; i < a.length; i++) {
            scale = Math.max(scale, Math.abs(b[i]));
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
        }
        if (a.length != b.length || diff > 1e-3 * scale) {
            throw new IllegalStateException(file + ": Retina and ONNX Runtime disagree (max difference " + diff
                    + " at output scale " + scale + "); no figures");
        }
    }

    private static Engine1 retina(Model model) {
        return new Engine1() {
            @Override
            public float[] run(Tensor x) {
                return model.forward(x, Mode.EVAL).data();
            }

            @Override
            public void close() {
            }
        };
    }

    private static Engine1 ort(byte[] bytes, int threads) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
        opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        opts.setIntraOpNumThreads(threads);
        opts.setInterOpNumThreads(1);
        OrtSession session = env.createSession(bytes, opts);
        String input = session.getInputNames().iterator().next();
        return new Engine1() {
            @Override
            public float[] run(Tensor x) {
                long[] dims = java.util.Arrays.stream(x.dims()).asLongStream().toArray();
                try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x.data()), dims);
                     OrtSession.Result r = session.run(Map.of(input, t))) {
                    FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
                    float[] out = new float[fb.remaining()];
                    fb.get(out);
                    return out;
                } catch (OrtException e) {
                    throw new IllegalStateException("ONNX Runtime: " + e.getMessage(), e);
                }
            }

            @Override
            public void close() throws OrtException {
                session.close();
                opts.close();
            }
        };
    }
}
