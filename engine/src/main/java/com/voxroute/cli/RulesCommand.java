package com.voxroute.cli;

import com.voxroute.routing.CapacityAwareRouter;
import com.voxroute.routing.RulesException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code voxroute rules ...}: work with routing rules files. Subcommand {@code check FILE} validates a file
 * without starting anything.
 *
 * <p>Exit codes: 0 valid; 1 invalid or unreadable, with one line {@code file:line: reason} on stderr;
 * 2 usage error (no subcommand, a file that does not exist or is a directory), one line on stderr.
 */
@Command(name = "rules", mixinStandardHelpOptions = true,
        description = "Routing rules files: check.",
        subcommands = {RulesCommand.CheckCommand.class})
public final class RulesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** Without a subcommand: a usage error, one line on stderr, exit 2 (as {@code voxroute journal}). */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println("voxroute rules: a subcommand is required (see 'voxroute rules --help')");
        return ExitCodes.USAGE;
    }

    /** {@code voxroute rules check FILE}: validates one rules file. */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Validate a rules file: exit 0 if valid, 1 with 'file:line: reason' on stderr if not.")
    static final class CheckCommand implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", arity = "1", paramLabel = "FILE", description = "the YAML rules file")
        Path file;

        /**
         * @return 0 when the file is valid (prints its version on stdout), 1 when not (one line on stderr)
         * @throws UsageException (exit 2, one line) when the file does not exist or is a directory, as
         *                        {@code run --rules}
         */
        @Override
        public Integer call() {
            if (Files.isDirectory(file)) {
                throw new UsageException("rules file is a directory: " + file);
            }
            if (!Files.exists(file)) {
                throw new UsageException("rules file not found: " + file);
            }
            try {
                String version = CapacityAwareRouter.check(file);
                spec.commandLine().getOut().println(file + ": OK (" + version + ")");
                spec.commandLine().getOut().flush();
                return 0;
            } catch (RulesException e) {
                spec.commandLine().getErr().println(e.getMessage());
                spec.commandLine().getErr().flush();
                return 1;
            }
        }
    }
}
