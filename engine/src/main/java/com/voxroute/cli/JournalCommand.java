package com.voxroute.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code voxroute journal}: looks into the journals. Subcommands: {@code dump}, {@code tail}, {@code stats}, {@code retain}, {@code import}. */
@Command(name = "journal", mixinStandardHelpOptions = true,
        description = "Inspects the intake and assignments journals.",
        subcommands = {
                JournalDumpCommand.class,
                JournalTailCommand.class,
                JournalStatsCommand.class,
                JournalRetainCommand.class,
                JournalImportCommand.class,
        })
public final class JournalCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** No subcommand: a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println("voxroute journal: a subcommand is required (see 'voxroute journal --help')");
        return ExitCodes.USAGE;
    }
}
