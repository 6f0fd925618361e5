package org.retina.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.retina.model.Model;
import org.retina.model.Sequential;
import org.retina.nn.Conv2d;
import org.retina.nn.Layer;
import org.retina.nn.Mode;
import org.retina.tensor.Parameter;
import org.retina.tensor.Rng;
import org.retina.tensor.Tensor;
import org.retina.testing.GradientCheck;
import org.retina.testing.LayerCases;

class ModelFileTest {
    @TempDir
    Path dir;

    static Stream<LayerCases.Case> cases() {
        return LayerCases.all().stream();
    }

    /** Every layer of the case table, saved in a model and loaded back: same config, same bits, same outputs. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyLayerRoundTripsBitExactly(LayerCases.Case c) throws IOException {
        Layer layer = c.layer().get();
        Sequential m = Sequential.builder().add("layer", layer).build();
        m.build(c.input(), 5);
        // give buffers non-default values so their round trip is visible
        for (Parameter b : m.namedBuffers().values()) {
            for (int i = 0; i < b.size(); i++) {
                b.value().data()[i] = 0.5f + 0.01f * i;
            }
        }
        Path f = dir.resolve("m.retina");
        ModelFile.save(f, m, Map.of("note", "test"));
        ModelFile.Contents back = ModelFile.read(f);
        Model loaded = back.model();
        assertEquals("test", back.metadata().get("note"));
        assertEquals(m.node("layer").component().config(), loaded.node("layer").component().config());
        assertEquals(m.namedParameters().keySet(), loaded.namedParameters().keySet());
        for (var e : m.namedParameters().entrySet()) {
            assertArrayEquals(e.getValue().value().data(), loaded.namedParameters().get(e.getKey()).value().data());
        }
        for (var e : m.namedBuffers().entrySet()) {
            assertArrayEquals(e.getValue().value().data(), loaded.namedBuffers().get(e.getKey()).value().data());
        }
        Tensor x = GradientCheck.random(Tensor.zeros(c.input().withBatch(2)), new Rng(1));
        assertArrayEquals(m.forward(x, Mode.EVAL).data(), loaded.forward(x, Mode.EVAL).data());
    }

    @Test
    void frozenParametersStayFrozenAndExtrasRoundTrip() throws IOException {
        Sequential m = Sequential.builder().add("a", Conv2d.of(2, 3)).add("b", Conv2d.of(2, 1)).build();
        m.build(org.retina.tensor.Shape.of(1, 5, 5));
        m.freeze("a");
        Path f = dir.resolve("m.retina");
        Tensor extra = Tensor.of(new float[] {1, 2, 3}, 3);
        ModelFile.save(f, m, Map.of(), Map.of("optimizer/a.weight/exp_avg", extra));
        ModelFile.Contents back = ModelFile.read(f);
        assertFalse(back.model().namedParameters().get("a.weight").trainable());
        assertTrue(back.model().namedParameters().get("b.weight").trainable());
        assertArrayEquals(extra.data(), back.extras().get("optimizer/a.weight/exp_avg").data());
    }

    @Test
    void truncatedForeignAndMissingFilesGiveClearErrors() throws IOException {
        Sequential m = Sequential.of(Conv2d.of(4, 3));
        m.build(org.retina.tensor.Shape.of(3, 8, 8));
        Path f = dir.resolve("m.retina");
        ModelFile.save(f, m, Map.of());
        byte[] all = Files.readAllBytes(f);
        Path truncated = dir.resolve("t.retina");
        Files.write(truncated, Arrays.copyOf(all, all.length / 2));
        IOException e = assertThrows(IOException.class, () -> ModelFile.load(truncated));
        assertTrue(e.getMessage().contains("not a Retina model"), e.getMessage());
        Path foreign = dir.resolve("f.retina");
        Files.writeString(foreign, "hello");
        e = assertThrows(IOException.class, () -> ModelFile.load(foreign));
        assertTrue(e.getMessage().contains("not a Retina model"), e.getMessage());
        assertThrows(java.nio.file.NoSuchFileException.class, () -> ModelFile.load(dir.resolve("none.retina")));
    }

    @Test
    void failedWriteLeavesTheOldFileIntact() throws IOException {
        Path f = dir.resolve("keep.bin");
        AtomicFile.writeString(f, "old");
        assertThrows(IOException.class, () -> AtomicFile.write(f, out -> {
            out.write("new-partial".getBytes());
            throw new IOException("disk full");
        }));
        assertEquals("old", Files.readString(f));
        if (f.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertTrue(Files.getPosixFilePermissions(f).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ),
                    "a new file is readable like any other, not owner-only");
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }
}
