package com.voxroute.cli;

import com.voxroute.routing.CapacityAwareRouter;
import com.voxroute.routing.RulesException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code voxroute rules ...}: work with routing rules files. Subcommand {@code check FILE} validates a file
 * without starting anything.
 *
 * <p>Exit codes: 0 valid; 1 invalid or unreadable, with one line {@code file:line: reason} on stderr;
 * 2 usage error (picocli's standard usage exit code).
 */
@Command(name = "rules", mixinStandardHelpOptions = true,
        description = "Routing rules files: check.",
        subcommands = {RulesCommand.CheckCommand.class})
public final class RulesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** Without a subcommand: prints usage to stderr and returns 2. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
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
         */
        @Override
        public Integer call() {
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
