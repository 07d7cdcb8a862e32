package dev.workcell.agent.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostGpusTest {

    @Test
    void namesTheGpusNvidiaSmiLists() {
        assertThat(HostGpus.fromNvidiaSmi(List.of(
                        "GPU 0: NVIDIA GeForce RTX 4090 (UUID: GPU-5e0a4b8c-2f0e-3c1d-9a7b-1c2d3e4f5a6b)",
                        "GPU 1: NVIDIA A100-SXM4-40GB (UUID: GPU-0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e)",
                        "  MIG 1g.5gb     Device  0: (UUID: MIG-1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d)")))
                .isEqualTo(List.of("NVIDIA GeForce RTX 4090", "NVIDIA A100-SXM4-40GB"));
    }

    @Test
    void namesTheDisplayControllersLspciLists() {
        assertThat(HostGpus.fromLspci(List.of(
                        "00:00.0 Host bridge: Intel Corporation Comet Lake-S 6c Host Bridge/DRAM Controller (rev 03)",
                        "00:02.0 VGA compatible controller: Intel Corporation CometLake-S GT2 [UHD Graphics 630] (rev 03)",
                        "01:00.0 3D controller: NVIDIA Corporation TU104GL [Tesla T4] (rev a1)",
                        "00:03.0 Display controller: Cirrus Logic GD 5446",
                        "00:1f.3 Audio device: Intel Corporation Comet Lake PCH cAVS")))
                .isEqualTo(List.of(
                        "Intel Corporation CometLake-S GT2 [UHD Graphics 630]",
                        "NVIDIA Corporation TU104GL [Tesla T4]",
                        "Cirrus Logic GD 5446"));
    }

    @Test
    void readsTheModelOfEachGpuTheDriverKnows(@TempDir Path proc) throws Exception {
        Path gpu = Files.createDirectories(proc.resolve("0000:01:00.0"));
        Files.writeString(
                gpu.resolve("information"),
                "Model: \t\t NVIDIA GeForce RTX 3080\nIRQ:   \t\t 130\nBus Type: \t PCIe\n");

        assertThat(HostGpus.fromProcDriver(proc)).isEqualTo(List.of("NVIDIA GeForce RTX 3080"));
        assertThat(HostGpus.fromProcDriver(proc.resolve("missing"))).isEqualTo(List.of());
    }

    @Test
    void findsWhatTheHostCanTellWithoutFailing() {
        assertThat(HostGpus.find(Duration.ofSeconds(5))).isNotNull();
    }
}
