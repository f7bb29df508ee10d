package com.voxroute.cli;

import com.voxroute.journal.Journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Checks a {@code --data-dir} before a command writes a journal into it, so that a mistaken path (the data-set
 * folder, a home directory, a file) is refused with one line instead of gaining {@code intake/},
 * {@code assignments/} and {@code engine/} folders among unrelated files.
 *
 * <p>Stateless; any thread.
 */
final class JournalDirs {

    private JournalDirs() {
    }

    /**
     * Refuses, before Chronicle is asked to open it for writing, a journal whose queue metadata cannot be written (a
     * read-only mount, a foreign owner's files): Chronicle would log a stack trace, fall back to read-only and fail
     * later with "Read only".
     *
     * @param dataDir the journal directory
     * @param what    what needs to write, for the message (e.g. {@code journal retain})
     * @throws OutputFiles.CannotWriteException (exit 3, one line) when a queue's {@code metadata.cq4t} is not writable
     */
    static void requireWritableQueues(Path dataDir, String what) throws OutputFiles.CannotWriteException {
        for (String q : new String[] {Journal.INTAKE, Journal.ASSIGNMENTS, Journal.ENGINE}) {
            Path metadata = dataDir.resolve(q).resolve("metadata.cq4t");
            if (Files.exists(metadata) && !Files.isWritable(metadata)) {
                throw new OutputFiles.CannotWriteException(what + " needs to write to the journal, but " + metadata
                        + " is not writable (a read-only mount or another owner's files)", null);
            }
        }
    }

    /**
     * Creates {@code dir} and its missing parents, then deletes what it created (innermost first, and only while
     * empty), so nothing is left behind.
     *
     * @param dir      the directory to probe, as the user gave it
     * @param existing its nearest existing ancestor, or {@code null}
     * @param option   how the user gave it, for the message
     * @throws OutputFiles.CannotWriteException when the file system refuses to create it
     */
    private static void probeCreate(Path dir, Path existing, String option) throws OutputFiles.CannotWriteException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new OutputFiles.CannotWriteException("cannot create the journal directory " + dir + " (" + option
                    + "): " + OutputFiles.whyNotCreated(dir, e), e);
        }
        for (Path p = dir.toAbsolutePath(); p != null && !p.equals(existing); p = p.getParent()) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                return; // not empty (another process put something there) or not ours to delete: leave it
            }
        }
    }

    /**
     * Accepts a directory that does not exist yet, an empty directory, or one that already holds a VoxRoute
     * journal (an {@code intake}, {@code assignments} or {@code engine} folder, or its writer lock file).
     *
     * <p>A directory that does not exist yet is created and removed again at once (with the parents this call
     * made), so that a path the file system refuses ({@code /proc/x}, a read-only mount) is one accurate line now,
     * before a model is trained or loaded, instead of "no such file or directory: /proc/x" when the journal opens;
     * and a usage error found later still leaves nothing behind.
     *
     * @param dir    the journal directory given by the user
     * @param option how the user gave it, for the message (e.g. {@code --data-dir})
     * @throws UsageException when {@code dir} (or its nearest existing ancestor) is a file, or {@code dir} is a
     *                        non-empty directory without a journal
     * @throws OutputFiles.CannotWriteException (exit 3, one line: {@code cannot create the journal directory DIR
     *                        (--data-dir): the file system refuses new directories in /proc}) when it does not exist
     *                        and cannot be created
     */
    static void requireWritable(Path dir, String option) throws OutputFiles.CannotWriteException {
        if (!Files.exists(dir)) {
            Path existing = null;
            for (Path p = dir.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
                if (Files.exists(p)) {
                    if (!Files.isDirectory(p)) {
                        throw new UsageException(option + " must be a directory, but " + p + " is a file");
                    }
                    existing = p;
                    break;
                }
            }
            probeCreate(dir, existing, option);
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new UsageException(option + " must be a directory, but " + dir + " is a file");
        }
        if (Files.isDirectory(dir.resolve(Journal.INTAKE)) || Files.isDirectory(dir.resolve(Journal.ASSIGNMENTS))
                || Files.isDirectory(dir.resolve(Journal.ENGINE))
                || Files.isRegularFile(dir.resolve(com.voxroute.journal.WriterLock.FILE))) {
            return;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            if (entries.findAny().isPresent()) {
                throw new UsageException(option + " " + dir + " is not a VoxRoute journal directory and not empty;"
                        + " give a new or empty directory (the journal is written there)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
