package com.voxroute.replay;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The content-addressed model store under {@code DATA_DIR/store/models/<sha256>/}: at every engine start the model
 * directory in force is copied here (once per distinct content) and its digest journaled in the
 * {@code ENGINE_STARTED} record, so replay finds the exact model years later even when the original directory
 * was retrained or deleted. Rules need no store: their full text is in the {@code ENGINE_STARTED} record itself.
 *
 * <p>Digest: SHA-256 over the directory's regular files in name order, each as its UTF-8 name, a 0 byte, its
 * length as 8 big-endian bytes, and its content. Sub-directories are not part of a model and are ignored.
 *
 * <p>Threading: stateless; concurrent stores of the same model are safe (copy to a temporary name, then an atomic
 * rename; the loser's copy is deleted).
 */
public final class ModelStore {

    /** Directory of the store, relative to the data directory. */
    public static final String MODELS = "store/models";

    private ModelStore() {
    }

    /**
     * @param modelDir a model directory
     * @return its SHA-256 digest, 64 lower-case hex digits
     * @throws IOException when a file cannot be read
     */
    public static String digest(Path modelDir) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
        byte[] chunk = new byte[1 << 16];
        for (Path f : files(modelDir)) {
            sha.update(f.getFileName().toString().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            long size = Files.size(f);
            for (int i = 7; i >= 0; i--) {
                sha.update((byte) (size >>> (8 * i)));
            }
            try (InputStream in = Files.newInputStream(f)) {
                int n;
                while ((n = in.read(chunk)) > 0) {
                    sha.update(chunk, 0, n);
                }
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /**
     * Copies a model into the store unless that content is already there.
     *
     * @param dataDir  the data directory
     * @param modelDir the model directory
     * @return the digest (the store entry's name)
     * @throws IOException when reading or copying fails
     */
    public static String store(Path dataDir, Path modelDir) throws IOException {
        String digest = digest(modelDir);
        Path target = dataDir.resolve(MODELS).resolve(digest);
        if (Files.isDirectory(target)) {
            return digest;
        }
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempDirectory(target.getParent(), digest + ".tmp");
        try {
            for (Path f : files(modelDir)) {
                Files.copy(f, tmp.resolve(f.getFileName().toString()));
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (!Files.isDirectory(target)) {
                throw e;
            }
        } finally {
            if (Files.exists(tmp)) {
                try (Stream<Path> s = Files.list(tmp)) {
                    for (Path p : s.toList()) {
                        Files.deleteIfExists(p);
                    }
                }
                Files.deleteIfExists(tmp);
            }
        }
        return digest;
    }

    /**
     * @param dataDir the data directory
     * @param digest  a model digest from an {@code ENGINE_STARTED} record
     * @return the stored model directory
     * @throws IOException when the store has no model with this digest
     */
    public static Path find(Path dataDir, String digest) throws IOException {
        Path dir = dataDir.resolve(MODELS).resolve(digest);
        if (!Files.isDirectory(dir)) {
            throw new IOException("model " + digest + " is not in the store " + dataDir.resolve(MODELS));
        }
        return dir;
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
