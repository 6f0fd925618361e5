package org.retina.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The figures of one run as a table with ratios and targets, or as a map for JSON. */
final class Report {

    /** A row: a result key, what it is, whether more is better, and the target on the ratio or the value. */
    record Row(String key, String label, boolean higherBetter, String target) {
    }

    /** Where the GPU figures were taken: Retina's device, PyTorch's, and PyTorch's settings that bear on them. */
    record Gpu(String retina, String pytorch, Map<String, Object> torchNotes) {
    }

    static final List<Row> ROWS = List.of(
            new Row("seed.train_ips", "fashion-cnn: training images/s, batch 64", true, "ratio >= 1.5"),
            new Row("lenet5.train_ips", "LeNet-5: training images/s, batch 64", true, "ratio >= 2"),
            new Row("seed.infer64_ips", "fashion-cnn: inference images/s, batch 64", true, "ratio >= 1.5"),
            new Row("lenet5.infer64_ips", "LeNet-5: inference images/s, batch 64", true, "ratio >= 1.5"),
            new Row("seed.infer1_ms", "fashion-cnn: latency at batch 1, ms", false, "ratio <= 0.7"),
            new Row("lenet5.infer1_ms", "LeNet-5: latency at batch 1, ms", false, "ratio <= 0.7"),
            new Row("gemm1024_gflops", "GEMM 1024^3, GFLOP/s", true, "value >= 230"),
            new Row("vggconv_gflops", "VGG conv 64->64 3x3 56x56 b32 fwd+bwd, GFLOP/s", true, "ratio >= 0.9"),
            new Row("seed.speedup_1to2", "fashion-cnn: training speed-up, 1 -> N threads", true, "value >= 1.8"),
            new Row("seed.train_peak_rss_mb", "fashion-cnn: peak RSS while training, MiB", false, "ratio <= 1"),
            // less than one of the network's activation maps (64 x 16 x 28 x 28 floats, 3.1 MiB): no step keeps its maps
            new Row("seed.rss_growth_mb", "fashion-cnn: RSS growth, training step 100 -> 1000, MiB", false,
                    "value <= 3"),
            new Row("resnet18.train_ips", "ResNet-18 CIFAR (3x32x32): training images/s, batch 128", true,
                    "ratio >= 1.2"),
            new Row("resnet18.train_peak_rss_mb", "ResNet-18 CIFAR: peak RSS while training, batch 128, MiB", false,
                    "ratio <= 1"),
            new Row("mobilenetv2.train_ips", "MobileNet v2 (3x64x64): training images/s, batch 64", true,
                    "ratio >= 1.2"),
            new Row("seed.first_step_s", "fashion-cnn: launch to first training step, s", false, "value <= 1.0"),
            new Row("seed.first_epoch_ips", "fashion-cnn: first epoch of a fresh job, img/s", true, "ratio >= 1.5"),
            new Row("seed.job_s", "fashion-cnn: default job (5 epochs) to exit, s", false, "ratio <= 0.6"),
            new Row("seed.cold_predict_s", "fashion-cnn: cold predict, one image, s", false, "value <= 0.5"),
            new Row("seed.cuda_train64_ips", "fashion-cnn, GPU: training images/s, batch 64", true, "ratio >= 1"),
            new Row("seed.cuda_train256_ips", "fashion-cnn, GPU: training images/s, batch 256", true, "ratio >= 1"),
            new Row("seed.cuda_infer", "fashion-cnn, GPU: inference images/s, batch ", true, "ratio >= 0.9"),
            new Row("resnet18.cuda_train64_ips", "ResNet-18, GPU: training images/s, batch 64", true, "ratio >= 0.8"),
            new Row("resnet18.cuda_infer", "ResNet-18, GPU: inference images/s, batch ", true, "ratio >= 0.9"));

    /** GPU inference keys carry their batch ({@code seed.cuda_infer1024_ips}: {@code --infer-batch}). */
    private static final Pattern GPU_INFER = Pattern.compile("(seed|resnet18)\\.cuda_infer(\\d+)_ips");

    private final int threads;
    private final int rounds;
    private final Map<String, Double> retina;
    private final Map<String, Double> pytorch;
    private final String torchEngine;
    private final Gpu gpu;

    Report(int threads, int rounds, Map<String, Double> retina, Map<String, Double> pytorch, String torchEngine,
           Gpu gpu) {
        this.threads = threads;
        this.rounds = rounds;
        this.retina = derive(retina);
        this.pytorch = pytorch == null ? null : derive(pytorch);
        this.torchEngine = torchEngine;
        this.gpu = gpu;
    }

    /** The rows, with the GPU inference rows made from the keys at hand (one per inference batch measured). */
    private List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (Row row : ROWS) {
            if (!row.key.endsWith(".cuda_infer")) {
                rows.add(row);
                continue;
            }
            for (String key : retina.keySet()) {
                Matcher m = GPU_INFER.matcher(key);
                if (m.matches() && key.startsWith(row.key)) {
                    rows.add(new Row(key, row.label + m.group(2), row.higherBetter, row.target));
                }
            }
        }
        return rows;
    }

    private static Map<String, Double> derive(Map<String, Double> m) {
        Map<String, Double> r = new LinkedHashMap<>(m);
        if (m.containsKey("seed.train_ips_nt") && m.containsKey("seed.train_ips_1t")) {
            r.put("seed.speedup_1to2", m.get("seed.train_ips_nt") / m.get("seed.train_ips_1t"));
        }
        return r;
    }

    /** The per-key medians over rounds. */
    static Map<String, Double> medians(List<Map<String, Double>> rounds) {
        Map<String, List<Double>> all = new LinkedHashMap<>();
        for (Map<String, Double> r : rounds) {
            r.forEach((k, v) -> all.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        }
        Map<String, Double> out = new LinkedHashMap<>();
        all.forEach((k, v) -> out.put(k, Measure.median(v.stream().mapToDouble(Double::doubleValue).toArray())));
        return out;
    }

    /** Whether a row meets its target, or null when it cannot be told. */
    Boolean met(Row row) {
        Double v = retina.get(row.key);
        if (v == null) {
            return null;
        }
        String[] t = row.target.split(" ");
        double bound = Double.parseDouble(t[2]);
        double x;
        if (t[0].equals("ratio")) {
            Double p = pytorch == null ? null : pytorch.get(row.key);
            if (p == null) {
                return null;
            }
            x = v / p;
        } else {
            x = v;
        }
        return t[1].equals(">=") ? x >= bound : x <= bound;
    }

    String table() {
        StringBuilder sb = new StringBuilder();
        if (gpu != null) {
            sb.append(String.format(Locale.ROOT, "Retina on %s%s, host %s, Java %s, %d round(s), %s%n", gpu.retina,
                    pytorch != null ? " vs " + torchEngine + " on " + gpu.pytorch + " (same run)" : "",
                    Machine.describe(), Runtime.version(), rounds, BenchRunner.today()));
            if (gpu.torchNotes != null) {
                sb.append("PyTorch settings: ").append(gpu.torchNotes).append(System.lineSeparator());
            }
        } else {
            sb.append(String.format(Locale.ROOT, "Retina %s threads%s, %s, Java %s, %d round(s), %s%n", threads,
                    pytorch != null ? " vs " + torchEngine + " (same run, same threads)" : "", Machine.describe(),
                    Runtime.version(), rounds, BenchRunner.today()));
        }
        String head = pytorch != null ? "%-50s %11s %11s %7s  %-13s %s%n" : "%-50s %11s%n";
        sb.append(String.format(Locale.ROOT, head, "measure", "Retina", "PyTorch", "ratio", "target", "met"));
        for (Row row : rows()) {
            Double v = retina.get(row.key);
            if (v == null) {
                continue;
            }
            if (pytorch == null) {
                sb.append(String.format(Locale.ROOT, "%-50s %11s%n", row.label, fmt(v)));
                continue;
            }
            Double p = pytorch.get(row.key);
            String ratio = p == null ? "-" : String.format(Locale.ROOT, "%.2fx", v / p);
            Boolean ok = met(row);
            sb.append(String.format(Locale.ROOT, "%-50s %11s %11s %7s  %-13s %s%n", row.label, fmt(v),
                    p == null ? "-" : fmt(p), ratio, row.target, ok == null ? "?" : ok ? "yes" : "NO"));
        }
        return sb.toString().stripTrailing();
    }

    /** The table as Markdown, for BENCHMARKS.md. */
    String markdown() {
        StringBuilder sb = new StringBuilder();
        boolean both = pytorch != null;
        sb.append(both ? "| measure | Retina | PyTorch | ratio | target | met |\n| --- | ---: | ---: | ---: | --- | --- |\n"
                : "| measure | Retina |\n| --- | ---: |\n");
        for (Row row : rows()) {
            Double v = retina.get(row.key);
            if (v == null) {
                continue;
            }
            if (!both) {
                sb.append("| ").append(row.label).append(" | ").append(fmt(v)).append(" |\n");
                continue;
            }
            Double p = pytorch.get(row.key);
            Boolean ok = met(row);
            sb.append("| ").append(row.label).append(" | ").append(fmt(v)).append(" | ")
                    .append(p == null ? "-" : fmt(p)).append(" | ")
                    .append(p == null ? "-" : String.format(Locale.ROOT, "%.2fx", v / p)).append(" | ")
                    .append(row.target).append(" | ").append(ok == null ? "?" : ok ? "yes" : "**no**").append(" |\n");
        }
        return sb.toString().stripTrailing();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.3f", v);
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("date", BenchRunner.today());
        m.put("machine", Machine.describe());
        m.put("java", Runtime.version().toString());
        m.put("threads", threads);
        if (gpu != null) {
            m.put("device", gpu.retina);
        }
        m.put("rounds", rounds);
        m.put("retina", new LinkedHashMap<>(retina));
        if (pytorch != null) {
            m.put("pytorch_engine", torchEngine);
            if (gpu != null) {
                m.put("pytorch_device", gpu.pytorch);
                if (gpu.torchNotes != null) {
                    m.put("pytorch_notes", gpu.torchNotes);
                }
            }
            m.put("pytorch", new LinkedHashMap<>(pytorch));
            Map<String, Object> targets = new LinkedHashMap<>();
            for (Row row : rows()) {
                Boolean ok = met(row);
                if (ok != null) {
                    targets.put(row.key, Map.of("target", row.target, "met", ok));
                }
            }
            m.put("targets", targets);
        }
        return m;
    }
}
