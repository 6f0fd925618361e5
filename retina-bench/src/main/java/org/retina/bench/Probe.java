package org.retina.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.retina.data.Batch;
import org.retina.kernel.Engine;
import org.retina.train.Trainer;

/**
 * The memory and launch probe: a fresh process that trains a benchmark network, saying when its first step is
 * done, its resident memory after a tenth of the steps and at the end, and its peak resident memory. The parent
 * times the launch itself, so JVM start-up counts. The two resident figures show whether training memory grows
 * from step to step once the first steps have allocated what the network needs.
 */
final class Probe {
    private Probe() {
    }

    /** The child's side. */
    static void run(int threads, int steps, String network) {
        Engine.setDefaults(threads);
        Networks.Net net = Networks.named(network);
        net.model().build(net.input(), 0);
        Batch[] batches = Measure.data(net.input(), net.batch(), 4);
        Trainer trainer = Measure.trainer(net.model());
        int[] predicted = new int[net.batch()];
        trainer.step(batches[0], predicted);
        System.out.println("first-step");
        System.out.flush();
        int early = Math.max(1, steps / 10);
        if (early == 1) {
            System.out.println("rss-early-kib " + statusKib("VmRSS:"));
        }
        for (int s = 1; s < steps; s++) {
            trainer.step(batches[s % batches.length], predicted);
            if (s + 1 == early) {
                System.out.println("rss-early-kib " + statusKib("VmRSS:"));
            }
        }
        System.out.println("rss-end-kib " + statusKib("VmRSS:"));
        System.out.println("peak-rss-kib " + statusKib("VmHWM:"));
        System.out.flush();
    }

    /** A field of /proc/self/status ({@code VmHWM:}, the peak; {@code VmRSS:}, now) in KiB, or -1 where none. */
    static long statusKib(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /**
     * The parent's side, for a fresh JVM like this one training {@code network} for {@code steps} steps: seconds to
     * the first step, then the peak, early and final resident memory in MiB (see {@link #launch(List)}).
     */
    static double[] launch(int threads, int steps, String network) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-agentlib") && !a.startsWith("-javaagent")) {
                cmd.add(a);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(BenchRunner.class.getName());
        cmd.add("--probe");
        cmd.add("--threads");
        cmd.add(Integer.toString(threads));
        cmd.add("--steps");
        cmd.add(Integer.toString(steps));
        cmd.add("--net");
        cmd.add(network);
        return launch(cmd);
    }

    /**
     * Runs a probe command, reading its {@code first-step}, {@code peak-rss-kib}, {@code rss-early-kib} and
     * {@code rss-end-kib} lines: {seconds to the first step, peak MiB, MiB after a tenth of the steps, MiB at the end}.
     */
    static double[] launch(List<String> cmd) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        double first = Double.NaN;
        double rss = Double.NaN;
        double early = Double.NaN;
        double end = Double.NaN;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("first-step") && Double.isNaN(first)) {
                    first = (System.nanoTime() - t0) / 1e9;
                } else if (line.startsWith("peak-rss-kib")) {
                    rss = mib(line);
                } else if (line.startsWith("rss-early-kib")) {
                    early = mib(line);
                } else if (line.startsWith("rss-end-kib")) {
                    end = mib(line);
                }
            }
        }
        if (p.waitFor() != 0) {
            throw new IOException("the probe " + cmd + " failed with status " + p.exitValue());
        }
        return new double[] {first, rss, early, end};
    }

    private static double mib(String line) {
        return Long.parseLong(line.split("\\s+")[1]) / 1024.0;
    }
}
