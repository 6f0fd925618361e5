package org.retina.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/** Turns exceptions into the one-line messages and exit codes of the command line. */
final class Errors {
    private Errors() {
    }

    /** A mistake in what the user asked for: bad options, files, models or data. */
    static final class UserError extends RuntimeException {
        UserError(String message) {
            super(message);
        }
    }

    /** 2 for bad input (options, files, data, geometry), 1 for anything else. */
    static int exitCode(Throwable e) {
        Throwable c = unwrap(e);
        return c instanceof UserError || c instanceof IOException || c instanceof IllegalArgumentException ? 2 : 1;
    }

    static String message(Throwable e) {
        Throwable c = unwrap(e);
        if (c instanceof NoSuchFileException n) {
            return "file not found: " + n.getFile() + (n.getReason() != null ? " (" + n.getReason() + ")" : "");
        }
        if (c instanceof AccessDeniedException a) {
            return "permission denied: " + a.getFile();
        }
        if (c instanceof OutOfMemoryError) {
            return "out of memory: lower the batch size (--batch-size) or give Java more memory"
                    + " (RETINA_JAVA_OPTS=-Xmx16g)";
        }
        String m = c.getMessage();
        return m == null || m.isBlank() ? c.getClass().getSimpleName() : m.replace('\n', ' ');
    }

    private static Throwable unwrap(Throwable e) {
        Throwable c = e;
        while (c instanceof UncheckedIOException && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }
}
