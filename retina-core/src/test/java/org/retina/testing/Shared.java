package org.retina.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the shared test material (golden vectors, datasets, ONNX cases) beside the project. */
public final class Shared {
    private Shared() {
    }

    /** The shared folder: {@code RETINA_SHARED}, the {@code retina.shared} property, or {@code ../shared}. */
    public static Path root() {
        String s = System.getenv("RETINA_SHARED");
        if (s == null || s.isBlank()) {
            s = System.getProperty("retina.shared");
        }
        Path p = s == null || s.isBlank() ? Path.of("..", "shared") : Path.of(s);
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("the shared test folder " + p.toAbsolutePath().normalize()
                    + " is missing: set RETINA_SHARED to the folder holding golden/ and datasets/");
        }
        return p;
    }

    public static Path golden() {
        return root().resolve("golden");
    }

    public static Path datasets() {
        return root().resolve("datasets");
    }
}
