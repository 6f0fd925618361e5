package org.retina.bench;

import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.retina.device.Devices;
import org.retina.io.Json;
import org.retina.kernel.Engine;

/**
 * {@code ./retina bench}: whole-network and kernel figures of Retina, and with {@code --compare} the same figures of
 * PyTorch measured in the same run with the same thread count, side by side with their ratios. With
 * {@code --device cuda} the GPU groups of {@link GpuBench} run instead of the CPU ones.
 */
public final class BenchRunner {
    /** Measurement groups in run order; each is one call of the PyTorch script too. */
    static final List<String> GROUPS = List.of("seed", "lenet5", "gemm", "conv", "scaling", "probe", "warmup",
            "resnet18", "mobilenetv2");

    private BenchRunner() {
    }

    record Options(int threads, double seconds, int rounds, List<String> groups, boolean json, boolean compare,
                   boolean profile, boolean markdown, boolean idleWait, String device, int inferBatch) {
        boolean gpu() {
            return !device.equals(Devices.CPU);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--probe")) {
            Options o = parse(args, 1);
            Probe.run(o.threads, intArg(args, "--steps", 100), stringArg(args, "--net", "seed"));
            return;
        }
        if (java.util.Arrays.asList(args).contains("--model")) {
            OnnxBench.run(args);
            return;
        }
        Options o = parse(args, 0);
        if (o == null) {
            return;
        }
        Engine.setDefaults(o.threads);
        GpuBench gpu = null;
        if (o.gpu()) {
            String why = GpuBench.unavailableReason(o.device);
            if (why != null) {
                System.err.println("bench: device " + o.device + " cannot be used here: " + why);
                System.exit(2);
            }
            gpu = new GpuBench(o.device, o.seconds, o.inferBatch);
        } else {
            // time the engine, not the JIT's warm-up of the vector kernels (a fresh JVM runs scalar twins meanwhile)
            Engine.awaitVectors(120_000);
        }
        if (o.profile) {
            for (String g : o.groups) {
                System.out.println(LayerProfile.run(Networks.named(g), o.seconds));
            }
            return;
        }
        PyTorchSide torch = o.compare ? new PyTorchSide() : null;
        if (torch != null && !torch.available()) {
            throw new IllegalStateException("--compare: bench/pytorch/bench.py not found under "
                    + System.getProperty("retina.home", ".") + " (set -Dretina.home to the repository root)");
        }
        List<Map<String, Double>> ours = new ArrayList<>();
        List<Map<String, Double>> theirs = new ArrayList<>();
        for (int r = 0; r < o.rounds; r++) {
            Map<String, Double> mine = new LinkedHashMap<>();
            Map<String, Double> other = new LinkedHashMap<>();
            for (String g : o.groups) {
                if (o.idleWait) {
                    Machine.awaitIdle(15, 600);
                }
                if (gpu != null) {
                    gpu.run(g, mine);
                } else {
                    runGroup(g, o, mine);
                }
                if (torch != null) {
                    if (o.idleWait) {
                        Machine.awaitIdle(15, 600);
                    }
                    other.putAll(torch.run(g, o.threads, o.seconds, o.device, o.inferBatch));
                }
            }
            ours.add(mine);
            theirs.add(other);
        }
        Map<String, Double> retina = Report.medians(ours);
        Map<String, Double> pytorch = torch == null ? null : Report.medians(theirs);
        Report.Gpu onGpu = gpu == null ? null
                : new Report.Gpu(gpu.description(), torch == null ? null : torch.device(),
                        torch == null ? null : torch.notes());
        Report report = new Report(o.threads, o.rounds, retina, pytorch, torch == null ? null : torch.engine(), onGpu);
        System.out.println(o.json ? Json.write(report.toMap()) : o.markdown ? report.markdown() : report.table());
    }

    static void runGroup(String group, Options o, Map<String, Double> results)
            throws IOException, InterruptedException {
        Measure m = new Measure(o.seconds);
        switch (group) {
            case "seed", "lenet5" -> m.network(Networks.named(group), results);
            case "gemm" -> m.gemm(results);
            case "conv" -> m.vggConv(results);
            case "scaling" -> {
                // one thread, then N, back to back: a ratio of figures taken minutes apart would measure the machine
                Map<String, Double> one = new LinkedHashMap<>();
                Map<String, Double> many = new LinkedHashMap<>();
                Engine.setDefaults(1);
                m.training(Networks.seed(), one);
                Engine.setDefaults(o.threads);
                m.training(Networks.seed(), many);
                results.put("seed.train_ips_1t", one.get("seed.train_ips"));
                results.put("seed.train_ips_nt", many.get("seed.train_ips"));
            }
            case "probe" -> {
                // 1,000 steps: the resident memory after the 100th and after the last says whether training grows
                double[] first = new double[3];
                double[] rss = new double[3];
                double[] growth = new double[3];
                for (int i = 0; i < 3; i++) {
                    double[] p = Probe.launch(o.threads, 1000, "seed");
                    first[i] = p[0];
                    rss[i] = p[1];
                    growth[i] = p[3] - p[2];
                }
                results.put("seed.first_step_s", Measure.median(first));
                results.put("seed.train_peak_rss_mb", Measure.median(rss));
                results.put("seed.rss_growth_mb", Measure.median(growth));
            }
            case "resnet18", "mobilenetv2" -> {
                m.training(Networks.named(group), results);
                if (group.equals("resnet18")) {
                    // one fresh process of 5 steps: the peak resident memory of training at batch 128
                    results.put("resnet18.train_peak_rss_mb", Probe.launch(o.threads, 5, group)[1]);
                }
            }
            case "warmup" -> ColdRuns.run(o.threads, results);
            default -> throw new IllegalArgumentException("no benchmark group '" + group + "'; groups: " + GROUPS);
        }
    }

    private static String stringArg(String[] args, String name, String def) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return def;
    }

    private static int intArg(String[] args, String name, int def) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return def;
    }

    private static Options parse(String[] args, int from) {
        int threads = Engine.current().threads();
        double seconds = 3;
        int rounds = 1;
        List<String> groups = GROUPS;
        boolean json = false;
        boolean compare = false;
        boolean profile = false;
        boolean markdown = false;
        boolean idleWait = true;
        String device = Devices.CPU;
        int inferBatch = GpuBench.INFER_BATCH;
        for (int i = from; i < args.length; i++) {
            switch (args[i]) {
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--only" -> groups = List.of(args[++i].split(","));
                case "--json" -> json = true;
                case "--compare" -> compare = true;
                case "--profile" -> profile = true;
                case "--markdown" -> markdown = true;
                case "--no-idle-wait" -> idleWait = false;
                case "--device" -> device = args[++i].toLowerCase(Locale.ROOT).strip();
                case "--infer-batch" -> inferBatch = Integer.parseInt(args[++i]);
                case "--steps", "--net" -> i++;
                case "-h", "--help" -> {
                    System.out.println(usage());
                    return null;
                }
                default -> throw new IllegalArgumentException("bench: unknown option '" + args[i] + "'\n" + usage());
            }
        }
        boolean gpu = !device.equals(Devices.CPU);
        if (gpu && profile) {
            throw new IllegalArgumentException("bench: --profile times the cpu engine's layers; leave out --device");
        }
        if (profile && groups == GROUPS) {
            groups = List.of("seed", "lenet5");
        }
        if (gpu && groups == GROUPS) {
            groups = GpuBench.GROUPS;
        }
        List<String> known = gpu ? GpuBench.GROUPS : GROUPS;
        for (String g : groups) {
            if (!known.contains(g)) {
                throw new IllegalArgumentException("bench: no group '" + g + "' on device " + device + "; groups: "
                        + known + (gpu ? "" : ", and with --device cuda " + GpuBench.GROUPS));
            }
        }
        if (inferBatch < 1) {
            throw new IllegalArgumentException("bench: --infer-batch " + inferBatch + ", expected >= 1");
        }
        return new Options(threads, seconds, rounds, groups, json, compare, profile, markdown, idleWait, device,
                inferBatch);
    }

    static String usage() {
        return """
                Usage: retina bench [--compare] [--json] [--threads N] [--seconds S] [--rounds R] [--only G,...]
                  --compare    also run bench/pytorch/bench.py (python3, or $RETINA_PYTHON) group by group, alternating
                  --json       print one JSON object instead of the table
                  --markdown   print the table as Markdown (BENCHMARKS.md)
                  --threads N  threads for both engines (default: RETINA_THREADS or the cores)
                  --seconds S  seconds per measurement, after a warm-up as long (default 3)
                  --rounds R   repeat everything R times, alternating engines; report medians (default 1)
                  --only G     groups among %s (warmup: the default job and a cold
                               predict, each a fresh process of each engine, on the real Fashion-MNIST)
                  --device D   cpu (default), or cuda: the GPU groups %s instead of the CPU ones; training
                               images/s of the fashion-cnn network at batch 64 and 256 and of ResNet-18 (3x224x224) at
                               batch 64, inference images/s of both at batch 1024 (--infer-batch N to change it)
                  --no-idle-wait  measure at once; by default each group waits (up to 10 min) until the
                               machine is idle (under 15%% of the CPU busy), as figures taken while other
                               programs compute say little of either engine
                  --profile    per-layer forward and backward times of the networks (seed, lenet5)
                Any ONNX file, against ONNX Runtime: retina bench --model FILE.onnx [--batch N] [--threads N]
                               [--seconds S] [--rounds R] [--compare onnxruntime]
                Kernel micro-benchmarks (JMH): retina bench jmh [JMH options]""".formatted(String.join(",", GROUPS),
                        String.join(",", GpuBench.GROUPS));
    }

    /** Today's date, for reports. */
    static String today() {
        return LocalDate.now().toString();
    }
}
