package com.voxroute.build;

import com.voxroute.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Chronicle's usage analytics are off in what we ship: the real shaded jar (built at {@code package}, before
 * failsafe runs this) holds no analytics classes, and the JVM argfile the launcher uses sets
 * {@code -Dchronicle.analytics.disable=true}. Checked on the artifacts, not in this JVM: JUnit on the class path
 * mutes the analytics anyway, which would make an in-process check prove nothing.
 */
class AnalyticsOffIT {

    private static final Path ENGINE = Fixtures.repoRoot().resolve("engine");

    @Test
    void theShadedJarContainsNoChronicleAnalyticsClasses() throws IOException {
        Path jar = ENGINE.resolve("target/voxroute.jar");
        assertThat(jar).as("run after package (failsafe)").isRegularFile();
        try (JarFile f = new JarFile(jar.toFile())) {
            List<String> analytics = f.stream().map(ZipEntry::getName)
                    .filter(n -> n.startsWith("net/openhft/chronicle/analytics/")).toList();
            assertThat(analytics).isEmpty();
            // the jar is the real one: Chronicle Queue and our main class are in it
            assertThat(f.getEntry("net/openhft/chronicle/queue/ChronicleQueue.class")).isNotNull();
            assertThat(f.getEntry("com/voxroute/cli/VoxRouteCommand.class")).isNotNull();
            assertThat(f.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo("com.voxroute.cli.VoxRouteCommand");
        }
    }

    @Test
    void theLauncherJvmArgfileDisablesChronicleAnalytics() throws IOException {
        Path argfile = ENGINE.resolve("target/classes/voxroute-jvm.options");
        assertThat(argfile).isRegularFile();
        List<String> flags = List.of(Files.readString(argfile).trim().split("\\s+"));
        assertThat(flags).contains("-Dchronicle.analytics.disable=true");
        assertThat(flags).noneMatch(f -> f.contains("${"));
    }
}
