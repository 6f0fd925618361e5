package org.retina.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.retina.data.format.Cifar10;
import org.retina.data.format.Idx;
import org.retina.data.format.ImageFolder;
import org.retina.data.format.Npy;
import org.retina.io.ModelFile;

/**
 * Every file reader against arbitrary bytes: it must either read the file or refuse it with an IOException or
 * IllegalArgumentException naming what is wrong — never another exception, an OutOfMemoryError or a hang.
 * In a plain test run the inputs under {@code ReaderFuzzTestInputs/} (real files and past findings) are replayed;
 * with {@code JAZZER_FUZZ=1} one method at a time is fuzzed for its {@code maxDuration}.
 */
class ReaderFuzzTest {
    private static final Path DIR = tempDir();

    private static Path tempDir() {
        try {
            Path d = Files.createTempDirectory("retina-fuzz");
            d.toFile().deleteOnExit();
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path write(String name, byte[] data) {
        try {
            return Files.write(DIR.resolve(name), data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A documented refusal: the reader said what was wrong. */
    private static boolean refusal(Exception e) {
        return (e instanceof IOException || e instanceof IllegalArgumentException)
                && e.getMessage() != null && !e.getMessage().isBlank();
    }

    @FuzzTest(maxDuration = "30s")
    void idx(byte[] data) throws Exception {
        Path f = write("data-idx", data);
        try {
            Idx.readImages(f);
        } catch (Exception e) {
            if (!refusal(e)) {
                throw e;
            }
        }
        try {
            Idx.readLabels(f);
        } catch (Exception e) {
            if (!refusal(e)) {
                throw e;
            }
        }
    }

    @FuzzTest(maxDuration = "30s")
    void cifar10(byte[] data) throws Exception {
        Path f = write("data_batch_1.bin", data);
        try {
            Cifar10.read(List.of(f), Cifar10.CLASS_NAMES);
        } catch (Exception e) {
            if (!refusal(e)) {
                throw e;
            }
        }
    }

    @FuzzTest(maxDuration = "30s")
    void npy(byte[] data) throws Exception {
        try {
            Npy.read(new ByteArrayInputStream(data), "fuzz.npy", data.length).toTensor();
        } catch (Exception e) {
            if (!refusal(e)) {
                throw e;
            }
        }
    }

    @FuzzTest(maxDuration = "30s")
    void image(byte[] data) throws Exception {
        Path f = write("image", data);
        try {
            ImageFolder.readInto(f, ImageFolder.Options.rgb(8, 8), new byte[3 * 64], 0);
        } catch (Exception e) {
            if (!refusal(e)) {
                throw e;
            }
        }
    }

    @FuzzTest(maxDuration = "30s")
    void modelFile(byte[] data) throws Exception {
        Path f = write("model.retina", data);
        try {
            ModelFile.read(f);
        } catch (Exception e) {
            if (!refusal(e)) {
                throw e;
            }
        }
    }
}
