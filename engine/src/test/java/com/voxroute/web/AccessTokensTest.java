package com.voxroute.web;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccessTokensTest {

    @TempDir
    Path dir;

    @Test
    void aCreatedTokenFileIsOwnerOnlyAndHoldsOneRandomTokenPerRole() throws Exception {
        Path file = dir.resolve("sub/tokens");
        Map<Role, String> tokens = AccessTokens.create(file, new SecureRandom());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(tokens).hasSize(3);
        assertThat(tokens.values()).doesNotHaveDuplicates().allSatisfy(t -> assertThat(t).hasSizeGreaterThanOrEqualTo(40));
        AccessTokens loaded = AccessTokens.load(file);
        for (Role r : Role.values()) {
            assertThat(loaded.roleOf(tokens.get(r))).isEqualTo(r);
        }
        assertThat(loaded.roleOf("nope-nope-nope-nope")).isNull();
        assertThat(loaded.roleOf(null)).isNull();
        assertThat(loaded.roleOf("")).isNull();
        assertThatThrownBy(() -> AccessTokens.create(file, new SecureRandom())).hasMessageContaining("already exists");
    }

    @Test
    void aTokenFileOthersCanReadOrWriteGetsAWarningNamingItsModeAndTheFixAndAnOwnerOnlyOneNone() throws Exception {
        Path file = dir.resolve("tokens");
        AccessTokens.create(file, new SecureRandom());
        assertThat(AccessTokens.permissionWarning(file)).isNull();
        for (String mode : new String[] {"rw-r--r--", "rw-rw----", "rw-----w-", "r--r-----"}) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
            assertThat(AccessTokens.permissionWarning(file)).as(mode)
                    .contains(file.toAbsolutePath().toString(), mode, "chmod 600").doesNotContain("\n");
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
        assertThat(AccessTokens.permissionWarning(file)).isNull();
    }

    @Test
    void badLinesAreRefusedWithTheLineNumberButNeverTheToken() throws Exception {
        Path file = dir.resolve("t");
        Files.writeString(file, "# comment\n\nviewer=0123456789abcdefXYZ\nroot=supersecret-token-123\n");
        assertThatThrownBy(() -> AccessTokens.load(file)).hasMessageContaining(":4:").hasMessageContaining("root")
                .hasMessageNotContaining("supersecret");
        Files.writeString(file, "viewer=short\n");
        assertThatThrownBy(() -> AccessTokens.load(file)).hasMessageContaining("too short").hasMessageNotContaining("short\n");
        Files.writeString(file, "# nothing\n");
        assertThatThrownBy(() -> AccessTokens.load(file)).hasMessageContaining("no tokens");
    }

    @Test
    void aFileThatIsNotUtf8TextIsRefusedAsNotATokenFileRatherThanAnUncaughtDecodingError() throws Exception {
        Path file = Files.write(dir.resolve("binary"), new byte[] {0x7f, 'E', 'L', 'F', (byte) 0xff, (byte) 0xfe, 0});
        assertThatThrownBy(() -> AccessTokens.load(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(file + ": not a token file (not UTF-8 text; expected lines role=token)");
    }

    @Test
    void aByteOrderMarkBeforeTheFirstLineIsNotPartOfItsRole() throws Exception {
        Path file = dir.resolve("bom");
        Files.writeString(file, "\uFEFFintake=0123456789abcdefBOM\r\nviewer=0123456789abcdefVIEW\r\n");
        AccessTokens t = AccessTokens.load(file);
        assertThat(t.roleOf("0123456789abcdefBOM")).isEqualTo(Role.INTAKE);
        assertThat(t.roleOf("0123456789abcdefVIEW")).isEqualTo(Role.VIEWER);
    }

    @Test
    void oneTokenGivenTwoRolesIsRefusedNamingTheLineButNotTheToken() throws Exception {
        // the first line used to win silently: here the intake line's token would only ever read as a viewer's
        Path file = dir.resolve("same");
        Files.writeString(file, "viewer=0123456789abcdefXYZ\nintake=0123456789abcdefXYZ\n");
        assertThatThrownBy(() -> AccessTokens.load(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(file + ":2: this token is also given the role viewer on an earlier line; each role needs"
                        + " its own token")
                .hasMessageNotContaining("0123456789abcdef");
        // two tokens of one role (a rotation) stay allowed, and so does a repeated line of the same role
        Files.writeString(file, "intake=0123456789abcdefXYZ\nintake=0123456789abcdefXYZ\nintake=fedcba9876543210xyz\n");
        assertThat(AccessTokens.load(file).roleOf("fedcba9876543210xyz")).isEqualTo(Role.INTAKE);
    }

    @Test
    void adminGrantsEveryRoleAndTheOthersOnlyTheirOwn() {
        assertThat(Role.ADMIN.grants(Role.INTAKE)).isTrue();
        assertThat(Role.ADMIN.grants(Role.VIEWER)).isTrue();
        assertThat(Role.VIEWER.grants(Role.INTAKE)).isFalse();
        assertThat(Role.INTAKE.grants(Role.VIEWER)).isFalse();
        assertThat(Role.VIEWER.grants(Role.ADMIN)).isFalse();
    }
}
