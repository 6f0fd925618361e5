package org.retina.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code retina} command: one picocli subcommand per job. */
@Command(name = "retina", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Convolutional neural networks: define, train, evaluate, inspect and deploy.")
public final class Main implements Runnable {
    /**
     * The subcommands, made only when used: picocli reads every option of every command it is given, which cost a
     * cold start about a third of a second when all ten were read for one.
     */
    private static final Map<String, Supplier<Object>> COMMANDS = commands();

    private static Map<String, Supplier<Object>> commands() {
        Map<String, Supplier<Object>> m = new LinkedHashMap<>();
        m.put("train", TrainCommand::new);
        m.put("evaluate", EvaluateCommand::new);
        m.put("predict", PredictCommand::new);
        m.put("summary", SummaryCommand::new);
        m.put("report", ReportCommand::new);
        m.put("explain", ExplainCommand::new);
        m.put("features", FeaturesCommand::new);
        m.put("fetch", FetchCommand::new);
        m.put("import", ImportCommand::new);
        m.put("export", ExportCommand::new);
        return m;
    }

    /** The command line with the subcommand {@code only} (all of them, and help, when null). */
    static CommandLine commandLine(String only) {
        CommandLine cl = new CommandLine(new Main());
        for (Map.Entry<String, Supplier<Object>> e : COMMANDS.entrySet()) {
            if (only == null || only.equals(e.getKey())) {
                cl.addSubcommand(e.getKey(), e.getValue().get());
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
                only = COMMANDS.containsKey(a) ? a : null; // the first word names the command, or asks for help
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
