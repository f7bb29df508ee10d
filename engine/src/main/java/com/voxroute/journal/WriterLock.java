package com.voxroute.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The one-writer guard of a journal directory: an exclusive OS file lock ({@link FileChannel#tryLock()}, an
 * {@code fcntl} lock on Linux) on {@code DIR/}{@value #FILE}, held by the process whose pipeline appends to the
 * journal, from before the journal is opened until after it is closed. A second {@code serve}, {@code demo},
 * {@code run}, {@code journal import} or {@code recover} on the same directory is refused instead of appending a
 * second history beside the first (two tickets under one id, decisions that replay cannot reproduce).
 *
 * <p>Readers ({@code journal dump|tail|stats}, {@code replay}) take no lock: following a live journal is a use
 * of it. The lock dies with the process (a crash or {@code kill -9} leaves the file but not the lock), so a
 * restart after a crash is never refused. The file holds the holder's process id, for the message only.
 *
 * <p>Thread-safety: {@link #acquire} and {@link #close} may be called from any thread; one instance per writer.
 */
public final class WriterLock implements AutoCloseable {

    /** Name of the lock file inside the journal directory. */
    public static final String FILE = "writer.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private WriterLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of {@code dataDir}, creating the directory and the lock file when missing; never waits.
     *
     * @param dataDir the journal directory
     * @return the held lock; close it after the journal
     * @throws JournalLockedException when another process (or this one, through another pipeline) holds it
     * @throws IOException            when the directory or the file cannot be created or opened
     */
    public static WriterLock acquire(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        Path file = dataDir.resolve(FILE);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this JVM already
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            String holder = holder(channel);
            channel.close();
            throw new JournalLockedException(dataDir, holder);
        }
        try {
            byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(pid), 0);
        } catch (IOException e) {
            lock.release();
            channel.close();
            throw e;
        }
        return new WriterLock(channel, lock);
    }

    private static String holder(FileChannel channel) {
        try {
            ByteBuffer b = ByteBuffer.allocate(32);
            int n = channel.read(b, 0);
            String s = n <= 0 ? "" : new String(b.array(), 0, n, StandardCharsets.US_ASCII).strip();
            return s.matches("[0-9]{1,19}") ? s : null;
        } catch (IOException e) {
            return null; // the message then names no process id
        }
    }

    /** Releases the lock (the file stays; it holds no state). Idempotent. */
    @Override
    public void close() throws IOException {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } finally {
            channel.close();
        }
    }

    /**
     * Another writer holds the journal directory. The message names the directory and, when known, the
     * holder's process id.
     */
    public static final class JournalLockedException extends IOException {

        private final transient Path dataDir;

        JournalLockedException(Path dataDir, String pid) {
            super("the journal " + dataDir + " is in use by another VoxRoute process"
                    + (pid != null ? " (pid " + pid + ")" : "")
                    + ": stop it, or give another --data-dir (one writer per journal)");
            this.dataDir = dataDir;
        }

        /** @return the journal directory that is locked */
        public Path dataDir() {
            return dataDir;
        }
    }
}
