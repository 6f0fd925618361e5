package org.retina.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code retina} command: one picocli subcommand per job. */
@Command(name = "retina", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Convolutional neural networks: define, train, evaluate, inspect and deploy.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, PredictCommand.class, SummaryCommand.class,
            ReportCommand.class, ExplainCommand.class, FeaturesCommand.class, FetchCommand.class, ImportCommand.class, ExportCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    /** The version the jar was built as (its manifest), so that {@code --version} never goes stale. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"retina " + version(), "Java " + Runtime.version() + " (" + System.getProperty(
                    "java.vm.name") + ")"};
        }
    }

    /** The version of this build from the jar's manifest, or {@code dev} when run from classes. */
    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces of errors.")
    boolean verbose;

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Runs the command line and returns the exit code: 0 done, 2 bad input, 1 any other failure. */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            boolean verbose = parsed.matchedOption("--verbose") != null
                    || java.util.Arrays.asList(args).contains("--verbose");
            PrintWriter err = cmd.getErr();
            if (verbose) {
                e.printStackTrace(err);
            }
            int code = Errors.exitCode(e);
            err.println("retina: " + Errors.message(e) + (verbose || code == 2 ? "" : " (--verbose shows details)"));
            err.flush();
            return code;
        });
        cl.setParameterExceptionHandler((e, a) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("retina: " + e.getMessage());
            err.println("retina: see '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'");
            err.flush();
            return 2;
        });
        return cl.execute(args);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }
}
