package com.voxroute.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Writes the files that command options name ({@code --summary-json}, {@code --hgrm}): a file the machine will not
 * let us write (a missing or read-only directory, {@code /proc}) is a {@link CannotWriteException}, reported as
 * one line naming the option and the file (exit 3), never a stack trace.
 *
 * <p>Threading: any thread.
 */
final class OutputFiles {

    /** A file named by an option could not be opened or written; the message is the whole line. */
    static final class CannotWriteException extends IOException {
        private static final long serialVersionUID = 1L;

        CannotWriteException(String message, IOException cause) {
            super(message, cause);
        }
    }

    private OutputFiles() {
    }

    /**
     * Opens (creating or truncating) a file named by an option, creating its parent directories.
     *
     * @param file   the file
     * @param option the option that named it, for the message (e.g. {@code --hgrm})
     * @return the stream; the caller closes it
     * @throws CannotWriteException when the directories or the file cannot be created
     */
    static OutputStream open(Path file, String option) throws CannotWriteException {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            return Files.newOutputStream(file);
        } catch (IOException e) {
            throw cannotWrite(file, option, e, false);
        }
    }

    /**
     * Checks, before any work, that a directory named by an option (e.g. {@code bench --out-dir}) can be created and
     * written: it creates the directory and a probe file in it, then deletes the probe. So a minutes-long run is not
     * thrown away because its results could not be written at the end.
     *
     * @param dir    the directory
     * @param option the option that named it, for the message
     * @throws CannotWriteException when it is a file, or cannot be created or written (read-only, no permission)
     */
    static void checkWritableDirectory(Path dir, String option) throws CannotWriteException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new CannotWriteException(option + " cannot be written: " + dir + " (not a directory)", null);
        }
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".voxroute-probe-", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw cannotWrite(dir, option, e, true);
        }
    }

    /**
     * Writes {@code value} as indented JSON to a file named by an option.
     *
     * @param file   the file
     * @param value  a Jackson-serializable value
     * @param option the option that named it, for the message (e.g. {@code --summary-json})
     * @throws CannotWriteException when the file cannot be created or written
     */
    static void writeJson(Path file, Object value, String option) throws CannotWriteException {
        try (OutputStream out = open(file, option)) {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out, value);
        } catch (CannotWriteException e) {
            throw e;
        } catch (IOException e) {
            throw cannotWrite(file, option, e, false);
        }
    }

    /**
     * Says why {@link Files#createDirectories} refused {@code dir}, in words a user can act on. It makes every
     * missing parent, so a {@link NoSuchFileException} means the nearest existing parent refused (e.g. {@code /proc},
     * {@code /sys}): "no such file or directory: DIR" would send the user looking for a parent that is there.
     *
     * @param dir the directory that could not be created
     * @param e   what {@code createDirectories} threw
     * @return the reason, naming the nearest existing parent where that helps (e.g. {@code the file system refuses
     *         new directories in /proc})
     */
    static String whyNotCreated(Path dir, IOException e) {
        Path existing = dir.toAbsolutePath().getParent();
        while (existing != null && !Files.isDirectory(existing)) {
            existing = existing.getParent();
        }
        String where = existing == null ? "" : " in " + existing;
        if (e instanceof NoSuchFileException) {
            return "the file system refuses new directories" + where;
        } else if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied" + where;
        } else if (e instanceof java.nio.file.FileAlreadyExistsException f) {
            return f.getFile() + " is a file";
        } else if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason() + where;
        }
        return e.getClass().getSimpleName() + ": " + VoxRouteCommand.oneLine(e.getMessage());
    }

    /**
     * A {@link NoSuchFileException} while creating {@code path} (or its directory) where the directories that exist
     * are there: the file system refuses (/proc, /sys); "no such file or directory" sent users looking for a missing
     * /proc.
     */
    private static String whyNoSuchFile(Path path, IOException e, boolean directory) {
        Path dir = directory ? path.toAbsolutePath() : path.toAbsolutePath().getParent();
        if (dir == null) {
            return "no such file or directory";
        }
        if (Files.isDirectory(dir)) {
            return "the file system refuses new files in " + dir; // the directory is there, a file in it is not
        }
        return whyNotCreated(dir, e);
    }

    /**
     * @param path      the file or directory named by the option
     * @param directory whether {@code path} is a directory to create (else a file, in a directory to create)
     */
    private static CannotWriteException cannotWrite(Path path, String option, IOException e, boolean directory) {
        String reason = e instanceof NoSuchFileException ? whyNoSuchFile(path, e, directory)
                : e instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason()
                : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return new CannotWriteException(option + " cannot be written: " + path + " (" + reason + ")", e);
    }
}
