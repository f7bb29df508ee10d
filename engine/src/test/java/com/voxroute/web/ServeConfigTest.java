package com.voxroute.web;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServeConfigTest {

    @TempDir
    Path dir;

    @Test
    void defaultsBindToLoopbackOnly() {
        ServeConfig d = ServeConfig.defaults().conclude();
        assertThat(d.host()).isEqualTo("127.0.0.1");
        assertThat(d.port()).isEqualTo(8080);
    }

    @Test
    void aBinaryFileIsRefusedAsNotUtf8TextNamingFileAndLine() throws Exception {
        Path f = dir.resolve("serve.bin");
        Files.write(f, new byte[] {'p', 'o', 'r', 't', ':', ' ', '1', '\n', (byte) 0xFF, (byte) 0xFE, 0, 1});
        assertThatThrownBy(() -> ServeConfig.load(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(f + ":2: not valid UTF-8 text (byte 8); a YAML config file is expected");
    }

    @Test
    void aYamlSyntaxErrorIsOneLineNamingFileLineAndProblemWithoutTheParsersCaretPicture() throws Exception {
        Path f = dir.resolve("serve.yaml");
        Files.writeString(f, "port: 9090\nhost: [1\n");
        assertThatThrownBy(() -> ServeConfig.load(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(f + ":3: not valid YAML: expected ',' or ']', but got <stream end>");
        Files.writeString(f, "port: 9090\n  bad: indent\n");
        assertThatThrownBy(() -> ServeConfig.load(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(f + ":2: not valid YAML: ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "^", "in 'reader'"));
        Files.writeString(f, "port: lots\n");
        assertThatThrownBy(() -> ServeConfig.load(f)).satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aFileOverridesOnlyTheKeysItNames() throws Exception {
        Path f = dir.resolve("serve.yaml");
        Files.writeString(f, "port: 9090\nmaxBodyBytes: 4096\ndataDir: /tmp/x\n");
        ServeConfig c = ServeConfig.load(f);
        assertThat(c.port()).isEqualTo(9090);
        assertThat(c.maxBodyBytes()).isEqualTo(4096);
        assertThat(c.dataDir()).isEqualTo(Path.of("/tmp/x"));
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.maxWaitMillis()).isEqualTo(ServeConfig.defaults().maxWaitMillis());
        assertThat(c.withPort(1234).port()).isEqualTo(1234);
    }

    @Test
    void anUnknownKeyIsAnErrorNamingTheKeyAndItsLine() throws Exception {
        Path f = dir.resolve("serve.yaml");
        Files.writeString(f, "port: 9090\nmaxBodyByte: 4096\n");
        assertThatThrownBy(() -> ServeConfig.load(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxBodyByte").hasMessageContaining(":2:");
    }

    @Test
    void aDuplicateKeyIsAnErrorNamingItAndItsLineNotTheLastOneWinning() throws Exception {
        Path f = Files.writeString(dir.resolve("dup.yaml"), "port: 8094\nhost: 127.0.0.1\nport: 8095\n");
        assertThatThrownBy(() -> ServeConfig.load(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(f + ":3: ").hasMessageContaining("'port'")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aValueOfTheWrongTypeOrAFileThatIsNotAMappingSaysWhatItMustBeWithoutJavaTypeNames() throws Exception {
        Path port = Files.writeString(dir.resolve("port.yaml"), "host: 127.0.0.1\nport: abc\n");
        assertThatThrownBy(() -> ServeConfig.load(port)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(port + ":2: port must be a whole number");
        Path host = Files.writeString(dir.resolve("host.yaml"), "host: [a, b]\n");
        assertThatThrownBy(() -> ServeConfig.load(host)).hasMessage(host + ":1: host must be a text value");
        Path list = Files.writeString(dir.resolve("list.yaml"), "- port\n- host\n");
        assertThatThrownBy(() -> ServeConfig.load(list)).hasMessage(list
                + ":1: the config must be a mapping of keys (lines key: value), not a list or a single value");
        Path scalar = Files.writeString(dir.resolve("scalar.yaml"), "8080\n");
        assertThatThrownBy(() -> ServeConfig.load(scalar)).isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("java.", "com.voxroute", "`"));
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "[{index}] {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"5.5", "5.0", "1e3", "\"5\"", "'5'", "\"\"",
        "\" \""})
    void aWholeNumberKeyRefusesAFractionAQuotedNumberAndAnEmptyStringNamingTheKeyAndLine(String value)
            throws Exception {
        Path f = Files.writeString(dir.resolve("serve.yaml"), "host: 127.0.0.1\nrealtimePriority: " + value + "\n");
        assertThatThrownBy(() -> ServeConfig.load(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(f + ":2: realtimePriority must be a whole number");
        Files.writeString(f, "maxWaitMillis: " + value + "\n");
        assertThatThrownBy(() -> ServeConfig.load(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(f + ":1: maxWaitMillis must be a whole number");
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "[{index}] {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"port", "maxWaitMillis", "host", "modelDir"})
    void aKeyWithoutAValueIsAnErrorNamingTheKeyAndLineNotTheDefaultKeptSilently(String key) throws Exception {
        Path f = Files.writeString(dir.resolve("serve.yaml"), "maxBodyBytes: 4096\n" + key + ":\nmaxBatchItems: 10\n");
        assertThatThrownBy(() -> ServeConfig.load(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(f + ":2: " + key + " has no value");
        Files.writeString(f, key + ": null\n");
        assertThatThrownBy(() -> ServeConfig.load(f)).hasMessageStartingWith(f + ":1: " + key + " has no value");
        Files.writeString(f, "maxBodyBytes: 4096\n" + key + ":");
        assertThatThrownBy(() -> ServeConfig.load(f)).hasMessageStartingWith(f + ":2: " + key + " has no value");
    }

    @Test
    void textKeysStillTakePlainAndQuotedText() throws Exception {
        Path f = Files.writeString(dir.resolve("serve.yaml"),
                "host: localhost\ndataDir: \"/tmp/x y\"\ntokenFile: '5'\nmodelDir: 2024\nport: 9090\n");
        ServeConfig c = ServeConfig.load(f);
        assertThat(c.host()).isEqualTo("localhost");
        assertThat(c.dataDir()).isEqualTo(Path.of("/tmp/x y"));
        assertThat(c.tokenFile()).isEqualTo(Path.of("5"));
        assertThat(c.modelDir()).isEqualTo(Path.of("2024"));
        assertThat(c.port()).isEqualTo(9090);
    }

    @Test
    void aBadValueIsAnErrorNamingTheSettingAndTheValue() throws Exception {
        Path f = dir.resolve("serve.yaml");
        Files.writeString(f, "port: 70000\n");
        assertThatThrownBy(() -> ServeConfig.load(f)).hasMessage("port must be in 0..65535: port=70000");
        Files.writeString(f, "port: lots\n");
        assertThatThrownBy(() -> ServeConfig.load(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(":1:");
        Files.writeString(f, "defaultWaitMillis: 60000\nmaxWaitMillis: 1000\n");
        assertThatThrownBy(() -> ServeConfig.load(f)).hasMessageContaining("defaultWaitMillis=60000");
    }

    @Test
    void theAssignmentCacheSizeDefaultsTo100000TicketsAndIsCheckedAgainstItsRange() throws Exception {
        assertThat(ServeConfig.defaults().assignmentCacheTickets()).isEqualTo(100_000);
        Path f = dir.resolve("serve.yaml");
        Files.writeString(f, "assignmentCacheTickets: 0\n");
        assertThat(ServeConfig.load(f).assignmentCacheTickets()).isZero();
        assertThat(ServeConfig.load(f).withPort(1234).assignmentCacheTickets()).as("kept by withPort").isZero();
        Files.writeString(f, "assignmentCacheTickets: -1\n");
        assertThatThrownBy(() -> ServeConfig.load(f))
                .hasMessage("assignmentCacheTickets must be in 0..10000000: assignmentCacheTickets=-1");
        Files.writeString(f, "assignmentCacheTickets: 10000001\n");
        assertThatThrownBy(() -> ServeConfig.load(f)).hasMessageContaining("assignmentCacheTickets=10000001");
    }

    @Test
    void theRealtimePriorityIsOffByDefaultReadFromTheFileAndCheckedAgainstItsRange() throws Exception {
        assertThat(ServeConfig.defaults().realtimePriority()).isZero();
        Path f = dir.resolve("serve.yaml");
        Files.writeString(f, "realtimePriority: 10\n");
        assertThat(ServeConfig.load(f).realtimePriority()).isEqualTo(10);
        assertThat(ServeConfig.load(f).withPort(1234).realtimePriority()).as("kept by withPort").isEqualTo(10);
        assertThat(ServeConfig.load(f).withRealtimePriority(0).realtimePriority()).as("the command line wins")
                .isZero();
        Files.writeString(f, "realtimePriority: 100\n");
        assertThatThrownBy(() -> ServeConfig.load(f))
                .hasMessage("realtimePriority must be in 0..99 (0: off): realtimePriority=100");
        assertThatThrownBy(() -> ServeConfig.defaults().withRealtimePriority(-1))
                .hasMessageContaining("realtimePriority=-1");
    }

    @Test
    void anEmptyFileGivesTheDefaults() throws Exception {
        Path f = dir.resolve("serve.yaml");
        Files.writeString(f, "# nothing\n");
        assertThat(ServeConfig.load(f)).isEqualTo(ServeConfig.defaults());
    }
}
