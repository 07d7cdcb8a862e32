package dev.workcell.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The CRDs committed under k8s/crds/ are those the build generates from the Java types
 * (quarkus-operator-sdk writes them to target/kubernetes/ when it builds the application, this
 * test's included). After changing a type: {@code cp k8s/operator/target/kubernetes/*.workcell.dev-v1.yml k8s/crds/}.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class CrdsUpToDateTest {

    static final Path GENERATED = Path.of("target/kubernetes");
    static final Path COMMITTED = Path.of("../crds");

    @Test
    void theCommittedCrdsAreTheGeneratedOnes() throws IOException {
        List<String> generated = crdFiles(GENERATED);
        assertThat(generated)
                .containsExactlyInAnyOrder("workcells.workcell.dev-v1.yml", "workcellagentpools.workcell.dev-v1.yml");
        assertThat(crdFiles(COMMITTED)).as("CRD files in k8s/crds").containsExactlyInAnyOrderElementsOf(generated);
        for (String file : generated) {
            assertThat(Files.readString(COMMITTED.resolve(file)))
                    .as(
                            "k8s/crds/%s differs from the CRD generated from the Java types: copy k8s/operator/target/kubernetes/%s there",
                            file, file)
                    .isEqualTo(Files.readString(GENERATED.resolve(file)));
        }
    }

    private static List<String> crdFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(f -> f.endsWith(".workcell.dev-v1.yml"))
                    .sorted()
                    .toList();
        }
    }
}
