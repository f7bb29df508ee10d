package com.voxroute.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The bearer tokens of the HTTP API, read from a token file of lines {@code role=token} ({@code #} starts a
 * comment; a role may have several tokens).
 *
 * <p>Tokens are kept only as SHA-256 digests; a presented token is hashed and compared with every stored
 * digest by {@link MessageDigest#isEqual} (constant time for equal lengths, and all digests are 32 bytes), and
 * the loop never stops early, so the time taken does not tell how much of a token matched or which role
 * it belongs to. Immutable and thread-safe after construction.
 */
public final class AccessTokens {

    /** Bytes of randomness in a generated token (256 bits). */
    public static final int GENERATED_TOKEN_BYTES = 32;

    private final byte[][] digests;
    private final Role[] roles;

    private AccessTokens(List<byte[]> digests, List<Role> roles) {
        this.digests = digests.toArray(new byte[0][]);
        this.roles = roles.toArray(new Role[0]);
    }

    /**
     * Reads a token file.
     *
     * @param file the token file
     * @return the tokens
     * @throws IOException              when the file cannot be read
     * @throws IllegalArgumentException when the file is not UTF-8 text, or a line is not {@code role=token} with a
     *                                  known role and a token of
     *                                  at least 16 characters, or gives a token an earlier line gave another role
     *                                  (the message names the line number, never the token)
     */
    public static AccessTokens load(Path file) throws IOException {
        List<byte[]> digests = new ArrayList<>();
        List<Role> roles = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.CharacterCodingException e) {
            // a binary file given as --token-file was a MalformedInputException with a stack trace
            throw new IllegalArgumentException(file + ": not a token file (not UTF-8 text; expected lines role=token)");
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (i == 0 && line.startsWith("\uFEFF")) {
                // a byte-order mark (Windows editors save one): it was read as part of the role, "unknown role
                // 'intake'" with the mark invisible in the message
                line = line.substring(1);
            }
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": expected role=token");
            }
            String roleName = line.substring(0, eq).strip().toUpperCase(Locale.ROOT);
            String token = line.substring(eq + 1).strip();
            Role role;
            try {
                role = Role.valueOf(roleName);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": unknown role '"
                        + roleName.toLowerCase(Locale.ROOT) + "' (known: intake, viewer, admin)", e);
            }
            if (token.length() < 16) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": token too short (< 16 characters)");
            }
            byte[] digest = sha256(token);
            for (int j = 0; j < digests.size(); j++) {
                if (roles.get(j) != role && MessageDigest.isEqual(digests.get(j), digest)) {
                    // one token, two roles: the first line would silently win (a viewer token given intake too,
                    // or an admin's token read as a viewer's)
                    throw new IllegalArgumentException(file + ":" + (i + 1) + ": this token is also given the role "
                            + roles.get(j).fileName() + " on an earlier line; each role needs its own token");
                }
            }
            digests.add(digest);
            roles.add(role);
        }
        if (digests.isEmpty()) {
            throw new IllegalArgumentException(file + ": no tokens (expected lines role=token)");
        }
        return new AccessTokens(digests, roles);
    }

    /**
     * Says when a token file may be read by others than its owner: bearer tokens in a group- or world-readable
     * (or -writable) file are no longer secret on a shared machine. {@code serve} and {@code demo} print this as a
     * warning on stderr and go on (the operator may have reasons, e.g. a group-readable secret mount).
     *
     * @param file an existing token file
     * @return one line naming the file, its mode and the fix ({@code chmod 600 FILE}), or {@code null} when only the
     *         owner may read and write it, or the file system has no POSIX permissions
     * @throws IOException when the permissions cannot be read
     */
    public static String permissionWarning(Path file) throws IOException {
        java.util.Set<java.nio.file.attribute.PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            return null;
        }
        java.util.Set<java.nio.file.attribute.PosixFilePermission> others = java.util.EnumSet.noneOf(
                java.nio.file.attribute.PosixFilePermission.class);
        for (java.nio.file.attribute.PosixFilePermission p : perms) {
            if (!p.name().startsWith("OWNER_")) {
                others.add(p);
            }
        }
        if (others.isEmpty()) {
            return null;
        }
        return "warning: the token file " + file.toAbsolutePath() + " has mode "
                + PosixFilePermissions.toString(perms) + ": others than its owner can read or change the bearer "
                + "tokens; run chmod 600 " + file.toAbsolutePath();
    }

    /**
     * Creates a token file with one random token per role, readable and writable by the owner only (mode
     * 600 where the file system supports POSIX permissions).
     *
     * @param file   the file to create; it must not exist
     * @param random the source of randomness (a {@link SecureRandom} in production)
     * @return the tokens written, one per role
     * @throws IOException when the file exists or cannot be written
     */
    public static Map<Role, String> create(Path file, SecureRandom random) throws IOException {
        Map<Role, String> tokens = new EnumMap<>(Role.class);
        StringBuilder text = new StringBuilder(
                "# VoxRoute bearer tokens: role=token (roles: intake, viewer, admin). Keep this file secret.\n");
        for (Role role : Role.values()) {
            byte[] bytes = new byte[GENERATED_TOKEN_BYTES];
            random.nextBytes(bytes);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            tokens.put(role, token);
            text.append(role.fileName()).append('=').append(token).append('\n');
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("token file already exists: " + file, e);
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return tokens;
    }

    /**
     * Finds the role of a presented token.
     *
     * @param token the token from {@code Authorization: Bearer ...}, or {@code null}
     * @return its role, or {@code null} when it matches no stored token; takes the same time whichever
     *         token matched
     */
    public Role roleOf(String token) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        byte[] presented = sha256(token);
        Role found = null;
        for (int i = 0; i < digests.length; i++) {
            // no early exit: every digest is compared, whatever matched before
            if (MessageDigest.isEqual(digests[i], presented) & found == null) {
                found = roles[i];
            }
        }
        return found;
    }

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    });

    private static byte[] sha256(String token) {
        MessageDigest sha = SHA256.get(); // one per thread: getInstance costs a provider look-up per request
        sha.reset();
        return sha.digest(token.getBytes(StandardCharsets.UTF_8));
    }
}
