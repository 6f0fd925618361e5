package org.retina.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.retina.io.AtomicFile;

/**
 * Keeps every step's loss, accuracy and learning rate and writes them as {@code steps.csv} in the run folder
 * (atomically: every {@value #EVERY} steps, so the first minutes of a run already have a curve, and after every
 * epoch). A resumed run keeps the steps of the epochs its checkpoint holds; {@link #read} reads the file back.
 */
public final class StepLog implements Callback {
    /** The file name in the run folder. */
    public static final String FILE = "steps.csv";
    private static final String HEADER = "step,epoch,batch,batches,loss,accuracy,lr";
    private static final int EVERY = 100;
    private final Path dir;
    private final List<StepResult> rows = new ArrayList<>();

    /** A log writing into the run folder {@code dir}. */
    public StepLog(Path dir) {
        this.dir = dir;
    }

    /** The steps logged so far, in order, unmodifiable. */
    public List<StepResult> steps() {
        return List.copyOf(rows);
    }

    /** The steps of a run folder's {@code steps.csv}, or an empty list when there is none (older runs). */
    public static List<StepResult> read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        List<String> lines = Files.readAllLines(file);
        if (lines.isEmpty() || !lines.getFirst().equals(HEADER)) {
            throw new IOException(file + ": expected the header '" + HEADER + "' on the first line");
        }
        List<StepResult> out = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",", -1);
            if (f.length != 7) {
                throw new IOException(file + ": line " + (i + 1) + " has " + f.length + " fields, expected 7");
            }
            try {
                out.add(new StepResult(Long.parseLong(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]),
                        Integer.parseInt(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]),
                        Double.parseDouble(f[6])));
            } catch (NumberFormatException e) {
                throw new IOException(file + ": line " + (i + 1) + " is not a row of numbers: " + lines.get(i), e);
            }
        }
        return out;
    }

    @Override
    public void onTrainBegin(Trainer trainer, int epochs) {
        rows.clear();
        if (trainer.completedEpochs() > 0) {
            try {
                for (StepResult s : read(dir)) {
                    if (s.epoch() <= trainer.completedEpochs()) {
                        rows.add(s);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not read the step log to resume in " + dir, e);
            }
        }
    }

    @Override
    public void onStepEnd(StepResult step) {
        rows.add(step);
        if (rows.size() % EVERY == 0) {
            write();
        }
    }

    @Override
    public void onEpochEnd(Trainer trainer, EpochResult result) {
        write();
    }

    private void write() {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (StepResult s : rows) {
            sb.append(String.format(Locale.ROOT, "%d,%d,%d,%d,%.7g,%.6g,%.7g\n", s.step(), s.epoch(), s.batch(),
                    s.batches(), s.loss(), s.accuracy(), s.learningRate()));
        }
        try {
            AtomicFile.writeString(dir.resolve(FILE), sb.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the step log in " + dir, e);
        }
    }
}
