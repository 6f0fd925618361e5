package org.retina.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code retina} command: one picocli subcommand per job. */
@Command(name = "retina", mixinStandardHelpOptions = true, version = "retina 0.1.0",
        description = "Convolutional neural networks: define, train, evaluate, inspect and deploy.",
        subcommands = {CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
