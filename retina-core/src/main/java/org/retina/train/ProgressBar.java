package org.retina.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Training progress on the terminal: a bar redrawn in place with batch, loss, accuracy, images/s and ETA on a
 * terminal; plain lines (every fifth of an epoch) when the output is a file or a pipe.
 */
public final class ProgressBar implements Callback {
    private static final int WIDTH = 24;
    private final PrintStream out;
    private final boolean tty;
    private int epochs;
    private int lastFifth;
    private long lastDraw;

    /** A progress display on {@code out}: a bar redrawn in place when {@code tty}, plain lines otherwise. */
    public ProgressBar(PrintStream out, boolean tty) {
        this.out = out;
        this.tty = tty;
    }

    /** A bar on standard output, redrawn in place when it is a terminal. */
    public static ProgressBar console() {
        java.io.Console c = System.console();
        return new ProgressBar(System.out, c != null && c.isTerminal());
    }

    @Override
    public void onTrainBegin(Trainer trainer, int epochs) {
        this.epochs = epochs;
    }

    @Override
    public void onEpochBegin(int epoch, int batches) {
        lastFifth = 0;
        if (!tty) {
            out.printf(Locale.ROOT, "Epoch %d/%d (%d batches)%n", epoch, epochs, batches);
        }
    }

    @Override
    public void onBatchEnd(int epoch, int batch, int batches, double loss, double accuracy, long images,
                           double seconds) {
        double rate = images / Math.max(seconds, 1e-9);
        double eta = (batches - batch) * seconds / batch;
        if (tty) {
            long now = System.nanoTime();
            if (batch < batches && now - lastDraw < 100_000_000L) {
                return;
            }
            lastDraw = now;
            int filled = (int) ((long) WIDTH * batch / batches);
            String bar = "=".repeat(filled) + (filled < WIDTH ? ">" + ".".repeat(WIDTH - filled - 1) : "");
            out.printf(Locale.ROOT, "\rEpoch %d/%d %5d/%d [%s] loss %.4f acc %.4f | %,.0f img/s | ETA %s ", epoch,
                    epochs, batch, batches, bar, loss, accuracy, rate, time(eta));
            out.flush();
        } else {
            int fifth = (int) (5L * batch / batches);
            if (fifth > lastFifth && batch < batches) {
                lastFifth = fifth;
                out.printf(Locale.ROOT, "  %d/%d loss %.4f acc %.4f | %,.0f img/s | ETA %s%n", batch, batches, loss,
                        accuracy, rate, time(eta));
            }
        }
    }

    @Override
    public void onEpochEnd(Trainer trainer, EpochResult r) {
        String val = r.hasValidation() ? String.format(Locale.ROOT, " | val_loss %.4f val_acc %.2f%%", r.valLoss(),
                100 * r.valAccuracy()) : "";
        out.printf(Locale.ROOT, "%sEpoch %d/%d: loss %.4f acc %.2f%%%s | %.1f s, %,.0f img/s%n", tty ? "\r\033[K" : "",
                r.epoch(), epochs, r.loss(), 100 * r.accuracy(), val, r.seconds(), r.imagesPerSecond());
        out.flush();
    }

    static String time(double s) {
        long t = Math.round(s);
        return t >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60)
                : String.format(Locale.ROOT, "%d:%02d", t / 60, t % 60);
    }
}
