package org.retina.cli;

import java.io.PrintStream;
import java.util.Locale;
import org.retina.data.DatasetStore;

/**
 * Draws the progress of fetching a dataset: a byte bar for downloads (redrawn in place on a terminal, a few plain
 * lines otherwise) and one line per step (npm, unpack, convert, verify).
 */
final class DownloadProgress implements DatasetStore.Progress {
    private final PrintStream out;
    private final boolean tty;
    private String current;
    private long lastDraw;
    private int lastQuarter;

    DownloadProgress(PrintStream out) {
        this.out = out;
        java.io.Console c = System.console();
        this.tty = out == System.out && c != null && c.isTerminal();
    }

    @Override
    public void update(String what, long done, long total) {
        boolean fresh = !what.equals(current);
        current = what;
        if (total <= 1) {
            // a step without a byte count: announce it once
            if (fresh) {
                out.println(what + " ...");
            }
            return;
        }
        if (fresh) {
            lastQuarter = -1;
        }
        boolean finished = done >= total;
        if (tty) {
            long now = System.nanoTime();
            if (!fresh && !finished && now - lastDraw < 100_000_000L) {
                return;
            }
            lastDraw = now;
            int w = 30;
            int filled = (int) (w * Math.min(done, total) / total);
            out.printf(Locale.ROOT, "\r%s [%s%s] %s / %s", what, "=".repeat(filled), ".".repeat(w - filled),
                    mib(done), mib(total));
            if (finished) {
                out.println();
            }
            out.flush();
        } else {
            int quarter = (int) (4 * Math.min(done, total) / total);
            if (quarter > lastQuarter) {
                lastQuarter = quarter;
                out.printf(Locale.ROOT, "%s: %s / %s%n", what, mib(done), mib(total));
            }
        }
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
