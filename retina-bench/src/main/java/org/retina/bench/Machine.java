package org.retina.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jdk.incubator.vector.FloatVector;

/** A one-line description of the machine: CPU model, cores, the widest vector the JVM uses. */
final class Machine {
    private Machine() {
    }

    static String describe() {
        String model = "unknown CPU";
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            for (String l : lines) {
                if (l.startsWith("model name")) {
                    model = l.substring(l.indexOf(':') + 1).strip();
                    break;
                }
            }
        } catch (IOException e) {
            // not Linux: keep the generic name
        }
        return model + ", " + Runtime.getRuntime().availableProcessors() + " cores, "
                + FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit vectors";
    }

    /** Busy and total jiffies of all CPUs from /proc/stat, or null off Linux. */
    private static long[] cpuTimes() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Waits until other programs leave the machine alone: less than {@code percent} of all CPU time busy over two
     * seconds, for at most {@code maxSeconds}. On a shared machine a measurement taken while others compute says
     * little of either engine (PyTorch's OpenMP threads, spinning at barriers, suffer most). Returns the busy share
     * of the last look.
     */
    static int awaitIdle(int percent, int maxSeconds) throws InterruptedException {
        long end = System.nanoTime() + maxSeconds * 1_000_000_000L;
        int busy = 0;
        boolean told = false;
        while (true) {
            long[] a = cpuTimes();
            Thread.sleep(2000);
            long[] b = cpuTimes();
            if (a == null || b == null || b[1] == a[1]) {
                return 0;
            }
            busy = (int) (100 * (b[0] - a[0]) / (b[1] - a[1]));
            if (busy < percent || System.nanoTime() > end) {
                return busy;
            }
            if (!told) {
                System.err.println("bench: waiting for the machine to be idle (" + busy + "% busy)");
                told = true;
            }
        }
    }
}
