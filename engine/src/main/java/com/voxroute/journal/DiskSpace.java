package com.voxroute.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How many bytes the journal's file system still has for us. Injected so tests can simulate a nearly full disk
 * without filling one.
 *
 * <p>Threading: called from the journal stage thread only.
 */
@FunctionalInterface
public interface DiskSpace {

    /**
     * @return usable bytes left on the file system of the journal, >= 0
     * @throws UncheckedIOException when the file system cannot be asked
     */
    long usableBytes();

    /**
     * The real file system of {@code dir} ({@link FileStore#getUsableSpace()}, a {@code statvfs} call).
     *
     * @param dir an existing directory on the journal's file system
     * @return the probe
     * @throws UncheckedIOException when the file store of {@code dir} cannot be found
     */
    static DiskSpace of(Path dir) {
        FileStore store;
        try {
            store = Files.getFileStore(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find the file system of " + dir, e);
        }
        return () -> {
            try {
                return store.getUsableSpace();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read usable space of " + dir, e);
            }
        };
    }
}
