package com.voxroute.cli;

import com.voxroute.pipeline.PipelineConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Usage errors a new user met: each is exit 2 with exactly one line on stderr, checked before anything starts. */
class CliUsageErrorsTest {

    private static void assertOneLineUsageError(CliRun r, String expected) {
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err().strip().lines().count()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).as(r.toString()).contains(expected).doesNotContain("Exception");
    }

    private static Path ticketFile(Path dir) throws Exception {
        Path input = dir.resolve("tickets.jsonl");
        Files.writeString(input, "{\"id\":\"a\",\"text\":\"card lost\"}\n");
        return input;
    }

    @Test
    void trainWithAnOutThatIsARegularFileIsAUsageErrorBeforeTraining(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        CliRun r = CliRun.of("train", "--data", ticketFile(dir).toString(), "--out", file.toString());
        assertOneLineUsageError(r, "--out must be a model directory");
        assertThat(Files.readString(file)).isEqualTo("x");
    }

    @Test
    void trainIntoANonEmptyFolderThatIsNotAModelIsAUsageErrorAndWritesNothing(@TempDir Path dir) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("documents"));
        Files.writeString(folder.resolve("notes.txt"), "keep");
        CliRun r = CliRun.of("train", "--data", ticketFile(dir).toString(), "--out", folder.toString());
        assertOneLineUsageError(r, "is a non-empty directory without a model.json");
        try (var entries = Files.list(folder)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("notes.txt");
        }
    }

    @Test
    void aDirectoryWhereATextOrTokenFileBelongsIsAUsageErrorOnOneLine(@TempDir Path dir) throws Exception {
        Path model = com.voxroute.testing.Fixtures.trainTinyModel(dir);
        assertOneLineUsageError(CliRun.of("classify", "--model", model.toString(), "--file", dir.toString()),
                "--file must be a text file, but " + dir + " is a directory");
        assertOneLineUsageError(CliRun.of("serve", "--model", model.toString(), "--rules",
                com.voxroute.testing.Fixtures.banking77Rules().toString(), "--port", "0", "--data-dir",
                dir.resolve("journal").toString(), "--token-file", dir.toString()),
                "the token file must be a file (lines role=token), but " + dir + " is a directory");
    }

    @Test
    void serveOnAHostThatCannotBeResolvedIsAUsageErrorThatLeavesNoTokenFileOrJournal(@TempDir Path dir)
            throws Exception {
        // the unresolvable host used to be left to the server's own bind, after the token file and the journal
        // directory were created (exit 3)
        Path model = com.voxroute.testing.Fixtures.trainTinyModel(dir);
        Path config = Files.writeString(dir.resolve("serve.yaml"), "host: no-such-host.invalid\nport: 0\n");
        Path tokens = dir.resolve("tokens");
        Path journal = dir.resolve("journal");
        CliRun r = CliRun.of("serve", "--config", config.toString(), "--model", model.toString(), "--rules",
                com.voxroute.testing.Fixtures.banking77Rules().toString(), "--data-dir", journal.toString(),
                "--token-file", tokens.toString());
        assertOneLineUsageError(r, "cannot listen on no-such-host.invalid:0: unknown host");
        assertThat(tokens).doesNotExist();
        assertThat(journal).doesNotExist();
    }

    @Test
    void trainWithADirectoryAsDataIsAUsageError(@TempDir Path dir) throws Exception {
        CliRun r = CliRun.of("train", "--data", dir.toString(), "--out", dir.resolve("m").toString());
        assertOneLineUsageError(r, "--data must be a regular JSONL file");
    }

    @Test
    void evaluateWithADirectoryAsDataSaysItIsADirectory(@TempDir Path dir) throws Exception {
        CliRun r = CliRun.of("evaluate", "--model", dir.resolve("m").toString(), "--data", dir.toString());
        assertOneLineUsageError(r, "--data must be a JSONL file, but " + dir + " is a directory");
    }

    @Test
    void runWithAMaxTextBytesTheJournalCannotHoldIsAUsageErrorBeforeAnythingIsJournaled(@TempDir Path dir)
            throws Exception {
        // a 19 MB text under --max-text-bytes 100000000 failed Chronicle's append (excerpts up to 16 MiB): intake
        // stopped with a stack trace and every later ticket of the file was lost
        Path data = dir.resolve("data");
        CliRun r = CliRun.of("run", "--input", ticketFile(dir).toString(), "--model", dir.resolve("m").toString(),
                "--rules", dir.resolve("r.yaml").toString(), "--data-dir", data.toString(),
                "--max-text-bytes", "100000000");
        assertOneLineUsageError(r, "--max-text-bytes must be in 1..8388608: 100000000");
        assertThat(data).doesNotExist();
    }

    @Test
    void runWithADataDirThatIsARegularFileIsAUsageError(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        CliRun r = CliRun.of("run", "--input", ticketFile(dir).toString(), "--model", dir.resolve("m").toString(),
                "--rules", dir.resolve("r.yaml").toString(), "--data-dir", file.toString());
        assertOneLineUsageError(r, "--data-dir must be a directory");
    }

    @Test
    void runIntoANonEmptyFolderThatIsNotAJournalIsAUsageErrorAndWritesNothingThere(@TempDir Path dir) throws Exception {
        Path datasets = Files.createDirectories(dir.resolve("datasets/banking77"));
        Files.writeString(dir.resolve("datasets/README.md"), "x");
        CliRun r = CliRun.of("run", "--input", ticketFile(dir).toString(), "--model", dir.resolve("m").toString(),
                "--rules", dir.resolve("r.yaml").toString(), "--data-dir", datasets.getParent().toString());
        assertOneLineUsageError(r, "is not a VoxRoute journal directory and not empty");
        try (var entries = Files.list(datasets.getParent())) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("banking77", "README.md");
        }
    }

    @Test
    void aJournalDirectoryIsAcceptedWhenNewEmptyOrAlreadyAJournal(@TempDir Path dir) throws Exception {
        JournalDirs.requireWritable(dir.resolve("new/deeper"), "--data-dir");
        assertThat(dir.resolve("new")).as("the probe leaves nothing behind").doesNotExist();
        JournalDirs.requireWritable(Files.createDirectories(dir.resolve("empty")), "--data-dir");
        Path journal = Files.createDirectories(dir.resolve("journal/intake"));
        Files.writeString(journal.getParent().resolve("voxroute-tokens"), "x");
        JournalDirs.requireWritable(journal.getParent(), "--data-dir");
        Path file = Files.writeString(dir.resolve("file"), "x");
        assertThatThrownBy(() -> JournalDirs.requireWritable(file.resolve("sub"), "--data-dir"))
                .isInstanceOf(UsageException.class).hasMessageContaining(file + " is a file");
    }

    @Test
    void aJournalDirectoryTheFileSystemRefusesIsNamedAccuratelyByEveryWriterBeforeAModelIsLoadedOrTrained(
            @TempDir Path dir) throws Exception {
        // "no such file or directory: /proc/x" sent users looking for a missing /proc; the model given here does not
        // exist, so a check after loading it would say "model directory not found" instead; demo would first train
        String expected = "cannot create the journal directory /proc/x (--data-dir): the file system refuses new"
                + " directories in /proc";
        String model = dir.resolve("no-model").toString();
        String rules = dir.resolve("no-rules.yaml").toString();
        String input = ticketFile(dir).toString();
        String[][] commands = {
            {"run", "--input", input, "--model", model, "--rules", rules, "--data-dir", "/proc/x"},
            {"journal", "import", "--input", input, "--model", model, "--rules", rules, "--data-dir", "/proc/x"},
            {"serve", "--model", model, "--rules", rules, "--port", "0", "--token-file",
                dir.resolve("tokens").toString(), "--data-dir", "/proc/x"},
            {"demo", "--no-serve", "--cache-dir", dir.resolve("cache").toString(), "--data-dir", "/proc/x"},
        };
        for (String[] args : commands) {
            CliRun r = CliRun.of(args);
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.FAILURE);
            assertThat(r.err().strip()).as(r.toString()).isEqualTo("voxroute " + (args[0].equals("journal")
                    ? "journal import" : args[0]) + ": " + expected);
        }
        assertThat(dir.resolve("tokens")).as("serve wrote no token file").doesNotExist();
        assertThat(dir.resolve("cache")).as("demo trained nothing").doesNotExist();
    }

    @Test
    void aDemoCacheDirectoryTheMachineRefusesIsOneLineNamingTheOptionBeforeTheDemoRuns(@TempDir Path dir)
            throws Exception {
        Path file = Files.writeString(dir.resolve("cache-file"), "x");
        String[][] cases = {
            {"/proc/x", "--cache-dir cannot be written: /proc/x (the file system refuses new directories in /proc)"},
            {file.toString(), "--cache-dir cannot be written: " + file + " (not a directory)"},
        };
        for (String[] c : cases) {
            CliRun r = CliRun.of("demo", "--no-serve", "--cache-dir", c[0], "--data-dir",
                    dir.resolve("journal").toString());
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.FAILURE);
            assertThat(r.err().strip()).as(r.toString()).isEqualTo("voxroute demo: " + c[1]);
            assertThat(dir.resolve("journal")).as("no batch ran").doesNotExist();
        }
        assertThat(Files.readString(file)).isEqualTo("x");
    }

    @Test
    void aModelPathThatIsAFileIsSaidToBeAFileNotNotFound(@TempDir Path dir) throws Exception {
        // the rules file given as --model by mistake: "model directory not found: rules.yaml" for a path that exists
        Path file = Files.writeString(dir.resolve("rules.yaml"), "name: x\n");
        String input = ticketFile(dir).toString();
        String[][] commands = {
            {"run", "--input", input, "--model", file.toString(), "--rules", file.toString(), "--data-dir",
                dir.resolve("d").toString()},
            {"classify", "--model", file.toString(), "card"},
            {"evaluate", "--model", file.toString(), "--data", input},
        };
        for (String[] args : commands) {
            CliRun r = CliRun.of(args);
            assertOneLineUsageError(r, "--model must be a model directory (made by voxroute train), but " + file
                    + " is a file");
        }
        assertOneLineUsageError(CliRun.of("classify", "--model", dir.resolve("none").toString(), "card"),
                "model directory not found: " + dir.resolve("none"));
    }

    @Test
    void aFileSystemFailureIsOneLineWithExitThreeAndNoStackTrace(@TempDir Path dir) throws Exception {
        // /proc refuses new directories even to root: training cannot create the model directory
        Path out = Path.of("/proc/voxroute-no-such-dir/model");
        CliRun r = CliRun.of("train", "--data", com.voxroute.testing.Fixtures.train().toString(), "--out", out.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.err().strip().lines().count()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).as(r.toString()).doesNotContain("\tat ").contains("/proc/voxroute-no-such-dir");
    }

    @Test
    void aModelDirectoryTheFileSystemRefusesIsNamedAccuratelyBeforeTraining(@TempDir Path dir) throws Exception {
        // /proc exists: "no such file or directory: /proc/x" sent users looking for a missing parent
        CliRun r = CliRun.of("train", "--data", com.voxroute.testing.Fixtures.train().toString(), "--out", "/proc/x");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.err().strip().lines().count()).as(r.toString()).isEqualTo(1);
        assertThat(r.err().strip()).as(r.toString())
                .isEqualTo("voxroute train: cannot create the model directory /proc/x:"
                        + " the file system refuses new directories in /proc");
        assertThat(r.out()).as(r.toString()).doesNotContain("trained");

        // bad data after the directory was made: the empty directory this run created is not left behind
        Path bad = Files.writeString(dir.resolve("bad.jsonl"), "{oops\n");
        Path fresh = dir.resolve("fresh-model");
        CliRun badData = CliRun.of("train", "--data", bad.toString(), "--out", fresh.toString());
        assertOneLineUsageError(badData, "bad.jsonl:1");
        assertThat(fresh).doesNotExist();
    }

    @Test
    void environmentProblemsAreNamedAndBugsAreNot() {
        assertThat(VoxRouteCommand.environmentProblem(new java.io.UncheckedIOException(
                new java.nio.file.NoSuchFileException("/x/y")))).isEqualTo("no such file or directory: /x/y");
        assertThat(VoxRouteCommand.environmentProblem(new IllegalStateException("wrapped",
                new java.net.BindException("Address already in use")))).contains("cannot listen").contains("--port");
        assertThat(VoxRouteCommand.environmentProblem(new NullPointerException("bug"))).isNull();
    }

    @Test
    void runChecksTheSummaryJsonParentBeforeStarting(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        Path dataDir = dir.resolve("data");
        CliRun r = CliRun.of("run", "--input", ticketFile(dir).toString(), "--model", dir.resolve("m").toString(),
                "--rules", dir.resolve("r.yaml").toString(), "--data-dir", dataDir.toString(),
                "--summary-json", file.resolve("summary.json").toString());
        assertOneLineUsageError(r, "--summary-json cannot be written");
        assertThat(dataDir).doesNotExist();
    }

    @Test
    void runWithADirectoryAsInputSaysItIsADirectory(@TempDir Path dir) {
        CliRun r = CliRun.of("run", "--input", dir.toString(), "--model", "m", "--rules", "r.yaml",
                "--data-dir", dir.resolve("data").toString());
        assertOneLineUsageError(r, "--input is a directory");
    }

    @Test
    void rulesCheckOfAMissingFileOrADirectoryIsAUsageErrorLikeRunRules(@TempDir Path dir) {
        assertOneLineUsageError(CliRun.of("rules", "check", dir.resolve("none.yaml").toString()),
                "rules file not found: ");
        assertOneLineUsageError(CliRun.of("rules", "check", dir.toString()), "rules file is a directory: ");
    }

    @Test
    void aYamlSyntaxErrorIsOneLineAtTheLineOfTheProblem(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tab.yaml");
        StringBuilder yaml = new StringBuilder("version: t\n");
        for (int i = 2; i < 30; i++) {
            yaml.append("# comment line ").append(i).append('\n');
        }
        yaml.append("\tbad: tab\n"); // line 30
        Files.writeString(file, yaml.toString());
        CliRun r = CliRun.of("rules", "check", file.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err().strip().lines().toList()).as(r.toString()).hasSize(1);
        assertThat(r.err()).as(r.toString()).startsWith(file + ":30: YAML syntax error");
    }

    @Test
    void aMissingSubcommandIsOneLineAndExitTwoForRulesAndJournal() {
        assertOneLineUsageError(CliRun.of("rules"), "voxroute rules: a subcommand is required");
        assertOneLineUsageError(CliRun.of("journal"), "voxroute journal: a subcommand is required");
    }

    @Test
    void helpIsACommand() {
        CliRun r = CliRun.of("help");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(0);
        assertThat(r.out()).contains("Usage: voxroute").contains("run");
        CliRun sub = CliRun.of("help", "rules");
        assertThat(sub.exitCode()).as(sub.toString()).isEqualTo(0);
        assertThat(sub.out()).contains("Usage: voxroute rules");
    }

    @Test
    void journalTailRefusesANegativeLimit(@TempDir Path dir) {
        assertOneLineUsageError(CliRun.of("journal", "tail", "--data-dir", dir.toString(), "--limit", "-1"),
                "--limit must be >= 1: -1");
    }

    @Test
    void aBadDurabilityReadsCleanly() {
        JournalOptions options = new JournalOptions();
        new CommandLine(options).parseArgs("--durability", "fast");
        assertThatThrownBy(() -> options.apply(new PipelineConfig()))
                .isInstanceOf(UsageException.class)
                .hasMessage("--durability must be page-cache or sync: fast");
    }

    @Test
    void serveChecksModelRulesAndOptionsBeforeCreatingTheTokenFileOrTheJournal(@TempDir Path dir) throws Exception {
        Path model = com.voxroute.testing.Fixtures.trainTinyModel(dir);
        String rules = com.voxroute.testing.Fixtures.banking77Rules().toString();
        Path badRules = Files.writeString(dir.resolve("bad-rules.yaml"), "name: [unclosed\n");
        Path tokens = dir.resolve("tokens");
        Path journal = dir.resolve("journal");
        String[][] bad = {
                {"--model", "NOT-A-MODEL", "--rules", rules},
                {"--model", dir.resolve("no-such-model").toString(), "--rules", rules},
                {"--model", model.toString(), "--rules", badRules.toString()},
                {"--model", model.toString(), "--rules", rules, "--tick-seconds", "-1"},
                {"--model", model.toString(), "--rules", rules, "--classify-threads", "0"},
        };
        for (String[] args : bad) {
            java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of("serve", "--port", "0",
                    "--token-file", tokens.toString(), "--data-dir", journal.toString()));
            all.addAll(java.util.List.of(args));
            CliRun r = CliRun.of(all.toArray(String[]::new));
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err().strip().lines().count()).as(r.toString()).isEqualTo(1);
            assertThat(tokens).as(r.toString()).doesNotExist();
            assertThat(journal).as(r.toString()).doesNotExist();
        }
    }

    @Test
    void serveWithItsPortInUseSaysSoBeforeCreatingTheTokenFileOrTheJournal(@TempDir Path dir) throws Exception {
        Path model = com.voxroute.testing.Fixtures.trainTinyModel(dir);
        Path tokens = dir.resolve("tokens");
        Path journal = dir.resolve("journal");
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            CliRun r = CliRun.of("serve", "--port", Integer.toString(port), "--token-file", tokens.toString(),
                    "--data-dir", journal.toString(), "--model", model.toString(), "--rules",
                    com.voxroute.testing.Fixtures.banking77Rules().toString());
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err().strip()).as(r.toString()).isEqualTo("voxroute serve: cannot listen on 127.0.0.1:"
                    + port + ": the port is in use (or the address is not this machine's); choose another with --port");
            assertThat(tokens).as(r.toString()).doesNotExist();
            assertThat(journal).as(r.toString()).doesNotExist();
        }
    }

    @Test
    void serveWithAMissingConfigSaysTheFileDoesNotExist(@TempDir Path dir) {
        assertOneLineUsageError(CliRun.of("serve", "--config", dir.resolve("nonexistent.yaml").toString()),
                "config file does not exist: ");
    }

    @Test
    void serveWithAFractionOrNoValueInTheConfigExitsWithOneLineNamingTheKeyAndLine(@TempDir Path dir)
            throws Exception {
        Path config = Files.writeString(dir.resolve("serve.yaml"), "port: 0\nmaxBatchItems: 5.5\n");
        assertOneLineUsageError(CliRun.of("serve", "--config", config.toString()),
                config + ":2: maxBatchItems must be a whole number");
        Files.writeString(config, "port: 0\nrealtimePriority:\n");
        assertOneLineUsageError(CliRun.of("serve", "--config", config.toString()),
                config + ":2: realtimePriority has no value");
    }
}
