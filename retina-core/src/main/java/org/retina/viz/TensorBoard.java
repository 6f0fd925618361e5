package org.retina.viz;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import org.retina.data.Dataset;
import org.retina.train.Callback;
import org.retina.train.EpochResult;
import org.retina.train.History;
import org.retina.train.StepResult;
import org.retina.train.Trainer;

/**
 * Writes a run as TensorBoard event files ({@code --tensorboard DIR}): the loss, accuracy and learning rate of
 * every step, the epoch figures with validation, and per epoch the prediction grid and the first convolution's
 * filters as images. The file is a sequence of TFRecords (length, masked CRC32C of the length, an {@code Event}
 * protobuf, masked CRC32C of the data), flushed every {@value #FLUSH_EVERY} steps and after every epoch so that
 * TensorBoard shows a run while it trains; a crash leaves at most one partial record at the end, which TensorBoard
 * ignores. The protobuf messages are encoded here by hand (Event, Summary, Summary.Value, Summary.Image), as the
 * core depends on nothing but the JDK.
 */
public final class TensorBoard implements Callback, AutoCloseable {
    /** The first event of every file: the format version TensorBoard expects. */
    static final String FILE_VERSION = "brain.Event:2";
    private static final int FLUSH_EVERY = 50;
    private final Path file;
    private final OutputStream out;
    private final Dataset test;
    private long lastStep;

    /**
     * Opens a new event file in {@code dir} (made when missing); {@code test} (may be null) gives the images of
     * the prediction grid.
     */
    public TensorBoard(Path dir, Dataset test) throws IOException {
        Files.createDirectories(dir);
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "localhost";
        }
        long now = System.currentTimeMillis();
        Path f = dir.resolve("events.out.tfevents." + now / 1000 + "." + host.replaceAll("[^A-Za-z0-9.-]", "_"));
        for (int i = 1; Files.exists(f); i++) {
            f = dir.resolve("events.out.tfevents." + now / 1000 + "." + host + "." + i);
        }
        this.file = f;
        this.out = new BufferedOutputStream(Files.newOutputStream(f), 1 << 16);
        this.test = test;
        Proto event = new Proto().fixed64(1, Double.doubleToLongBits(now / 1000.0)).string(3, FILE_VERSION);
        record(event.bytes());
        out.flush();
    }

    /** The event file being written. */
    public Path file() {
        return file;
    }

    /** Writes scalar {@code tag} at {@code step}. */
    public void scalar(String tag, long step, double value) throws IOException {
        Proto v = new Proto().string(1, tag).fixed32(2, Float.floatToIntBits((float) value));
        record(event(step, new Proto().message(1, v)));
    }

    /** Writes {@code tag} as a PNG image at {@code step}. */
    public void image(String tag, long step, java.awt.image.BufferedImage img) throws IOException {
        Proto image = new Proto().varint(1, img.getHeight()).varint(2, img.getWidth()).varint(3, 3)
                .bytes(4, Png.encode(img));
        Proto v = new Proto().string(1, tag).message(4, image);
        record(event(step, new Proto().message(1, v)));
    }

    @Override
    public void onStepEnd(StepResult s) {
        try {
            scalar("train/loss", s.step(), s.loss());
            scalar("train/accuracy", s.step(), s.accuracy());
            scalar("train/learning_rate", s.step(), s.learningRate());
            lastStep = s.step();
            if (s.step() % FLUSH_EVERY == 0) {
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the TensorBoard events " + file, e);
        }
    }

    @Override
    public void onEpochEnd(Trainer trainer, EpochResult r) {
        try {
            long step = lastStep;
            scalar("epoch/loss", step, r.loss());
            scalar("epoch/accuracy", step, r.accuracy());
            if (r.hasValidation()) {
                scalar("epoch/val_loss", step, r.valLoss());
                scalar("epoch/val_accuracy", step, r.valAccuracy());
            }
            scalar("epoch/images_per_second", step, r.imagesPerSecond());
            if (test != null && test.size() > 0) {
                image("predictions", step, PredictionGrid.of(RunReport.SAMPLE + " test images after epoch "
                        + r.epoch(), PredictionGrid.sample(trainer.model(), test, RunReport.SAMPLE,
                        RunReport.SAMPLE_SEED)));
            }
            if (FilterGrid.hasConvolution(trainer.model())) {
                image("filters", step, FilterGrid.of(trainer.model()));
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the TensorBoard events " + file, e);
        }
    }

    @Override
    public void onTrainEnd(Trainer trainer, History history) {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the TensorBoard events " + file, e);
        }
    }

    /** Flushes and closes the file. */
    @Override
    public void close() throws IOException {
        out.close();
    }

    private static byte[] event(long step, Proto summary) {
        double now = System.currentTimeMillis() / 1000.0;
        return new Proto().fixed64(1, Double.doubleToLongBits(now)).varint(2, step).message(5, summary).bytes();
    }

    private void record(byte[] data) throws IOException {
        byte[] len = new byte[8];
        long n = data.length;
        for (int i = 0; i < 8; i++) {
            len[i] = (byte) (n >>> (8 * i));
        }
        out.write(len);
        writeInt(masked(len));
        out.write(data);
        writeInt(masked(data));
    }

    private void writeInt(int v) throws IOException {
        out.write(v);
        out.write(v >>> 8);
        out.write(v >>> 16);
        out.write(v >>> 24);
    }

    /** TFRecord's masked CRC32C: rotated right by 15 bits plus a constant, so that CRCs of CRCs stay apart. */
    static int masked(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        int c = (int) crc.getValue();
        return ((c >>> 15) | (c << 17)) + 0xa282ead8;
    }

    /** A protobuf message being encoded: fields appended in order, in the wire format. */
    static final class Proto {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

        Proto varint(int field, long v) {
            key(field, 0);
            raw(v);
            return this;
        }

        Proto fixed64(int field, long v) {
            key(field, 1);
            for (int i = 0; i < 8; i++) {
                buf.write((int) (v >>> (8 * i)));
            }
            return this;
        }

        Proto fixed32(int field, int v) {
            key(field, 5);
            for (int i = 0; i < 4; i++) {
                buf.write(v >>> (8 * i));
            }
            return this;
        }

        Proto bytes(int field, byte[] b) {
            key(field, 2);
            raw(b.length);
            buf.writeBytes(b);
            return this;
        }

        Proto string(int field, String s) {
            return bytes(field, s.getBytes(StandardCharsets.UTF_8));
        }

        Proto message(int field, Proto m) {
            return bytes(field, m.bytes());
        }

        byte[] bytes() {
            return buf.toByteArray();
        }

        private void key(int field, int wireType) {
            raw((long) field << 3 | wireType);
        }

        private void raw(long v) {
            while ((v & ~0x7FL) != 0) {
                buf.write((int) (v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf.write((int) v);
        }
    }
}
