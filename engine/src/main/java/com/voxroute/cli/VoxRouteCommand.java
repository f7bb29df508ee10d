package com.voxroute.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code voxroute}: the command line. Subcommands are registered in the {@code subcommands} list below (one line
 * each). Exit codes: see {@link ExitCodes} (0 ok, 1 some rejected, 2 usage error with one line on stderr,
 * 3 failure).
 */
@Command(name = "voxroute",
        mixinStandardHelpOptions = true,
        version = "voxroute 0.1.0",
        description = "Routes bank complaint tickets: journal, classify, route, publish.",
        subcommands = {
                RunCommand.class,
                JournalCommand.class,
                RecoverCommand.class,
                ReplayCommand.class,
                DemoCommand.class,
                TrainCommand.class,
                EvaluateCommand.class,
                ClassifyCommand.class,
                RulesCommand.class,
                ServeCommand.class,
                BenchCommand.class,
                CommandLine.HelpCommand.class,
        })
public final class VoxRouteCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /**
     * Runs the CLI and exits the JVM with the command's exit code.
     *
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        // Belt and braces (the launcher's JVM flags also set it): Chronicle's usage analytics must never report
        // to a third party. Set before any Chronicle class is loaded, which happens only inside a subcommand.
        System.setProperty("chronicle.analytics.disable", "true");
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /**
     * Runs the CLI without exiting (for tests and embedding).
     *
     * @param out  standard output
     * @param err  standard error
     * @param args arguments
     * @return the exit code
     */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        System.setProperty("chronicle.analytics.disable", "true");
        CommandLine cmd = new CommandLine(new VoxRouteCommand());
        // a ticket text such as "@alice ..." must never be replaced by the contents of a file of that name
        cmd.setExpandAtFiles(false);
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setParameterExceptionHandler((ex, arguments) -> {
            CommandLine failed = ex.getCommandLine();
            failed.getErr().println(failed.getCommandSpec().qualifiedName() + ": " + oneLine(ex.getMessage())
                    + " (see '" + failed.getCommandSpec().qualifiedName() + " --help')");
            return ExitCodes.USAGE;
        });
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            String name = commandLine.getCommandSpec().qualifiedName();
            if (ex instanceof UsageException) {
                commandLine.getErr().println(name + ": " + oneLine(ex.getMessage()));
                return ExitCodes.USAGE;
            }
            String problem = environmentProblem(ex);
            if (problem != null) {
                commandLine.getErr().println(name + ": " + problem);
                return ExitCodes.FAILURE;
            }
            commandLine.getErr().println(name + ": error: " + ex.getClass().getSimpleName() + ": "
                    + oneLine(ex.getMessage()));
            ex.printStackTrace(commandLine.getErr());
            return ExitCodes.FAILURE;
        });
        return cmd.execute(args);
    }

    /**
     * Describes, in one line, a failure caused by the machine rather than by VoxRoute: a port already in use, a
     * journal directory another process writes to, a journal record that cannot be read (corrupt, or of a layout
     * version this build does not read), a file or directory that is missing, not writable or of the wrong kind, an
     * unknown host. Such failures are
     * reported without a stack trace (exit 3); anything else is a bug and keeps its stack trace.
     *
     * @param ex what a command threw
     * @return the line, or {@code null} when {@code ex} (and its causes) are not such a failure
     */
    static String environmentProblem(Throwable ex) {
        for (Throwable t : causeChain(ex)) {
            if (t instanceof OutputFiles.CannotWriteException) {
                return oneLine(t.getMessage());
            }
            if (t instanceof java.io.FileNotFoundException) {
                // java.io's way of saying a file cannot be opened (missing directory, permission, /proc)
                return "cannot open file: " + oneLine(t.getMessage());
            }
            if (t instanceof com.voxroute.journal.WriterLock.JournalLockedException) {
                return oneLine(t.getMessage());
            }
            if (t instanceof com.voxroute.journal.JournalFormatException) {
                // the journal's content, not this code: a corrupt record or a layout version this build does not read
                return "cannot read the journal: " + oneLine(t.getMessage());
            }
            if (t instanceof java.io.StreamCorruptedException) {
                // Chronicle's word for a queue file whose header is not a queue's (overwritten, truncated, foreign)
                return "cannot read the journal: a journal file is corrupt or not a journal file ("
                        + oneLine(t.getMessage()) + ")";
            }
            if (t instanceof java.net.BindException) {
                return "cannot listen: " + oneLine(t.getMessage())
                        + " (another process may hold the port: choose another with --port)";
            }
            if (t instanceof java.nio.channels.UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
                return "unknown host or address" + (t.getMessage() == null ? "" : ": " + oneLine(t.getMessage()))
                        + " (check host in the config)";
            }
            if (t instanceof java.nio.file.NoSuchFileException e) {
                return "no such file or directory: " + e.getFile();
            }
            if (t instanceof java.nio.file.AccessDeniedException e) {
                return "permission denied: " + e.getFile();
            }
            if (t instanceof java.nio.file.NotDirectoryException e) {
                return "not a directory: " + e.getFile();
            }
            if (t instanceof java.nio.file.FileAlreadyExistsException e) {
                return "already exists (and is in the way): " + e.getFile();
            }
            if (t instanceof java.nio.file.FileSystemException e) {
                return "file system error: " + oneLine(e.getMessage());
            }
        }
        return null;
    }

    /**
     * @param ex a throwable, or {@code null}
     * @return {@code ex} followed by its causes, outermost first (empty for {@code null}); stops at a cause that
     *         refers to itself
     */
    static java.util.List<Throwable> causeChain(Throwable ex) {
        java.util.List<Throwable> chain = new java.util.ArrayList<>();
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("\r", " ").replace("\n", " ").trim();
    }

    /** No subcommand: usage on stderr, exit 2. */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println("voxroute: a command is required (see 'voxroute --help')");
        return ExitCodes.USAGE;
    }
}
