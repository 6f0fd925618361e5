package org.retina.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code retina} command: one picocli subcommand per job. */
@Command(name = "retina", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Convolutional neural networks: define, train, evaluate, inspect and deploy.")
public final class Main implements Runnable {
    /**
     * The subcommands, made only when used: picocli reads every option of every command it is given, which cost a
     * cold start about a third of a second when all ten were read for one. A switch makes them, not a map of
     * constructor references, each of which would spin a class at start-up.
     */
    private static final List<String> COMMANDS = List.of("train", "evaluate", "predict", "summary", "report",
            "explain", "features", "fetch", "import", "export");

    private static Object command(String name) {
        return switch (name) {
            case "train" -> new TrainCommand();
            case "evaluate" -> new EvaluateCommand();
            case "predict" -> new PredictCommand();
            case "summary" -> new SummaryCommand();
            case "report" -> new ReportCommand();
            case "explain" -> new ExplainCommand();
            case "features" -> new FeaturesCommand();
            case "fetch" -> new FetchCommand();
            case "import" -> new ImportCommand();
            case "export" -> new ExportCommand();
            default -> throw new IllegalArgumentException("no command " + name);
        };
    }

    /** The command line with the subcommand {@code only} (all of them, and help, when null). */
    static CommandLine commandLine(String only) {
        CommandLine cl = new CommandLine(new Main());
        for (String name : COMMANDS) {
            if (only == null || only.equals(name)) {
                cl.addSubcommand(name, command(name));
            }
        }
        if (only == null) {
            cl.addSubcommand("help", new CommandLine.HelpCommand());
        }
        return cl;
    }

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
        commandLine(null).usage(System.out);
    }

    /** Runs the command line and returns the exit code: 0 done, 2 bad input, 1 any other failure. */
    public static int execute(String... args) {
        String only = null;
        for (String a : args) {
            if (!a.startsWith("-")) {
                only = COMMANDS.contains(a) ? a : null; // the first word names the command, or asks for help
                break;
            }
        }
        CommandLine cl = commandLine(only);
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
