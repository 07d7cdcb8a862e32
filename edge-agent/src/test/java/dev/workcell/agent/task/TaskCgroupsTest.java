package dev.workcell.agent.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskCgroupsTest {

    /** As on this build's host: cgroup v1 controllers, and the unified hierarchy with the agent at its root. */
    private static final String HYBRID_CGROUP = "4:memory:/process_api/fb51e8e2\n1:cpu:/\n0::/\n";

    @TempDir
    Path root;

    @Test
    void keepsTrackBySessionAndMarksWhenTheAgentSitsAtTheRootOfTheHierarchy() throws IOException {
        Path mount = Files.createDirectories(root.resolve("sys/fs/cgroup/unified"));

        assertThat(detect(HYBRID_CGROUP, mount)).isEqualTo(Optional.empty());
    }

    @Test
    void keepsTrackBySessionAndMarksWithoutTheUnifiedHierarchy() throws IOException {
        Path mount = Files.createDirectories(root.resolve("sys/fs/cgroup/unified"));

        assertThat(detect("4:memory:/agent\n1:cpu:/agent\n", mount)).isEqualTo(Optional.empty());
    }

    @Test
    void givesEachTaskACgroupInTheAgentsOwnOne() throws IOException {
        Path mount = Files.createDirectories(root.resolve("sys/fs/cgroup"));
        Path own = Files.createDirectories(mount.resolve("system.slice/workcell-agent.service"));
        Files.writeString(own.resolve("cgroup.kill"), "");

        Optional<TaskCgroups> cgroups = detect("0::/system.slice/workcell-agent.service\n", mount);

        assertThat(cgroups.map(found -> found.of(new AttemptKey("a1", 2))))
                .isEqualTo(Optional.of(own.resolve("workcell-a1-2")));
    }

    private Optional<TaskCgroups> detect(String cgroup, Path mount) throws IOException {
        Path cgroupFile = Files.writeString(root.resolve("cgroup"), cgroup);
        Path mountinfo = Files.writeString(
                root.resolve("mountinfo"),
                "25 30 0:23 / /proc rw,nosuid - proc proc rw\n" + "41 31 0:38 / " + mount
                        + " rw,relatime - cgroup2 cgroup2 rw\n");
        return TaskCgroups.detect(cgroupFile, mountinfo);
    }
}
