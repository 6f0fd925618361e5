package org.retina.data.format;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.retina.data.ByteDataset;
import org.retina.tensor.Shape;

/**
 * CIFAR-10, binary version: {@code data_batch_1.bin} .. {@code data_batch_5.bin} (training) and
 * {@code test_batch.bin}, each record one label byte then 3072 pixel bytes, channel-major R, G, B of 32x32,
 * read from a folder holding those files or its {@code cifar-10-batches-bin/} subfolder.
 */
public final class Cifar10 {
    /** The standard class names, used when the folder has no {@code batches.meta.txt}. */
    public static final List<String> CLASS_NAMES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog",
            "frog", "horse", "ship", "truck");
    /** The training files, in order. */
    public static final List<String> TRAIN_FILES = List.of("data_batch_1.bin", "data_batch_2.bin",
            "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
    /** The test file. */
    public static final String TEST_FILE = "test_batch.bin";
    /** The subfolder of the official archive. */
    public static final String SUBFOLDER = "cifar-10-batches-bin";
    /** Pixel bytes per image: 3 x 32 x 32. */
    public static final int PIXELS = 3 * 32 * 32;
    /** Bytes per record: the label and the pixels. */
    public static final int RECORD = 1 + PIXELS;

    private Cifar10() {
    }

    /** The folder holding the batch files: {@code dir} itself or {@code dir/cifar-10-batches-bin}. */
    public static Path locate(Path dir) throws NoSuchFileException {
        for (Path d : List.of(dir, dir.resolve(SUBFOLDER))) {
            if (Files.isRegularFile(d.resolve(TEST_FILE)) || Files.isRegularFile(d.resolve(TRAIN_FILES.get(0)))) {
                return d;
            }
        }
        throw new NoSuchFileException(dir.toString(), null, "no CIFAR-10 binary files: looked for " + TEST_FILE
                + " and " + TRAIN_FILES.get(0) + " in " + dir + " and in " + dir.resolve(SUBFOLDER)
                + "; download the binary version (cifar-10-binary.tar.gz) and unpack it there");
    }

    /** The 50,000 training images (all five batches, in order) or the 10,000 test images. */
    public static ByteDataset load(Path dir, boolean train) throws IOException {
        Path folder = locate(dir);
        List<Path> files = new ArrayList<>();
        for (String name : train ? TRAIN_FILES : List.of(TEST_FILE)) {
            Path f = folder.resolve(name);
            if (!Files.isRegularFile(f)) {
                throw new NoSuchFileException(f.toString(), null, "missing CIFAR-10 " + (train ? "training" : "test")
                        + " file; expected " + (train ? String.join(", ", TRAIN_FILES) : TEST_FILE) + " in " + folder);
            }
            files.add(f);
        }
        return read(files, classNames(folder));
    }

    /** The class names of {@code batches.meta.txt} in {@code folder} (one a line), else {@link #CLASS_NAMES}. */
    public static List<String> classNames(Path folder) throws IOException {
        Path meta = folder.resolve("batches.meta.txt");
        if (!Files.isRegularFile(meta)) {
            return CLASS_NAMES;
        }
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(meta, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                names.add(line.strip());
            }
        }
        if (names.size() != CLASS_NAMES.size()) {
            throw new IOException(meta + ": " + names.size() + " class names, expected " + CLASS_NAMES.size()
                    + " (one a line)");
        }
        return names;
    }

    /** Reads the records of {@code files}, in order, as one {@code (3, 32, 32)} dataset. */
    public static ByteDataset read(List<Path> files, List<String> classNames) throws IOException {
        long records = 0;
        for (Path f : files) {
            long size = Files.size(f);
            if (size == 0 || size % RECORD != 0) {
                throw new IOException(f + ": " + size + " bytes is not a whole number of CIFAR-10 records of "
                        + RECORD + " bytes (1 label + " + PIXELS + " pixels); is it the binary version?");
            }
            records += size / RECORD;
        }
        if (records * PIXELS > Integer.MAX_VALUE - 8) {
            throw new IOException(files + ": " + records + " records are more than one Java array holds");
        }
        byte[] pixels = new byte[(int) records * PIXELS];
        int[] labels = new int[(int) records];
        int i = 0;
        for (Path f : files) {
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(f), 1 << 16))) {
                long n = Files.size(f) / RECORD;
                for (long r = 0; r < n; r++, i++) {
                    int label = in.readUnsignedByte();
                    if (label >= classNames.size()) {
                        throw new IOException(f + ": record " + r + " (byte offset " + r * RECORD + ") has label "
                                + label + ", expected 0.." + (classNames.size() - 1));
                    }
                    labels[i] = label;
                    in.readFully(pixels, i * PIXELS, PIXELS);
                }
            } catch (EOFException e) {
                throw new IOException(f + ": the file ended early (it changed while being read?)", e);
            }
        }
        String name = files.size() == 1 ? files.get(0).toString() : files.get(0).toAbsolutePath().getParent() + " (" + files.size()
                + " files)";
        return new ByteDataset(name, Shape.of(3, 32, 32), pixels, labels, classNames);
    }

    /** Writes records in the binary format; {@code pixels} holds {@code labels.length} images of 3072 bytes. */
    public static void write(Path file, int[] labels, byte[] pixels) throws IOException {
        if ((long) labels.length * PIXELS != pixels.length) {
            throw new IllegalArgumentException(file + ": " + pixels.length + " pixel bytes for " + labels.length
                    + " labels, expected " + (long) labels.length * PIXELS);
        }
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] < 0 || labels[i] > 255) {
                    throw new IllegalArgumentException(file + ": label " + i + " is " + labels[i]
                            + ", expected 0..255");
                }
                out.write(labels[i]);
                out.write(pixels, i * PIXELS, PIXELS);
            }
        }
    }
}
