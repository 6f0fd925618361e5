package org.retina.cli;

import picocli.CommandLine.Option;

/** The {@code --threads} option of every command that computes, declared once (a picocli mixin). */
final class ThreadsOption {
    @Option(names = "--threads", description = "Worker threads (default: RETINA_THREADS or the number of cores).")
    Integer threads;

    /** Makes the default engine use the threads asked for, if any. */
    void apply() {
        Inputs.threads(threads);
    }
}
