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
    void adminGrantsEveryRoleAndTheOthersOnlyTheirOwn() {
        assertThat(Role.ADMIN.grants(Role.INTAKE)).isTrue();
        assertThat(Role.ADMIN.grants(Role.VIEWER)).isTrue();
        assertThat(Role.VIEWER.grants(Role.INTAKE)).isFalse();
        assertThat(Role.INTAKE.grants(Role.VIEWER)).isFalse();
        assertThat(Role.VIEWER.grants(Role.ADMIN)).isFalse();
    }
}
