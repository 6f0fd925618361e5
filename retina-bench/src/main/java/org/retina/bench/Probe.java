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
 * The memory and launch probe: a fresh process that trains the seed network, saying when its first step is done
 * and, at the end, its peak resident memory. The parent times the launch itself, so JVM start-up counts.
 */
final class Probe {
    private Probe() {
    }

    /** The child's side. */
    static void run(int threads, int steps) {
        Engine.setDefaults(threads);
        Networks.Net net = Networks.seed();
        net.model().build(net.input(), 0);
        Batch[] batches = Measure.data(net.input(), Measure.BATCH, 4);
        Trainer trainer = Measure.trainer(net.model());
        int[] predicted = new int[Measure.BATCH];
        trainer.step(batches[0], predicted);
        System.out.println("first-step");
        System.out.flush();
        for (int s = 1; s < steps; s++) {
            trainer.step(batches[s % batches.length], predicted);
        }
        System.out.println("peak-rss-kib " + peakRssKib());
        System.out.flush();
    }

    /** VmHWM of /proc/self/status, or -1 where there is none. */
    static long peakRssKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** The parent's side: seconds to the first step and peak RSS in MiB of a fresh JVM like this one. */
    static double[] launch(int threads, int steps) throws IOException, InterruptedException {
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
        return launch(cmd);
    }

    /** Runs a probe command, reading its {@code first-step} and {@code peak-rss-kib} lines. */
    static double[] launch(List<String> cmd) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        double first = Double.NaN;
        double rss = Double.NaN;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("first-step") && Double.isNaN(first)) {
                    first = (System.nanoTime() - t0) / 1e9;
                } else if (line.startsWith("peak-rss-kib")) {
                    rss = Long.parseLong(line.split("\\s+")[1]) / 1024.0;
                }
            }
        }
        if (p.waitFor() != 0) {
            throw new IOException("the probe " + cmd + " failed with status " + p.exitValue());
        }
        return new double[] {first, rss};
    }
}
