package dev.workcell.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workcell.cli.testing.Cli;
import dev.workcell.cli.testing.Cli.Result;
import dev.workcell.cli.testing.ControlPlaneProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CLI against a control plane that speaks only TLS, with a certificate made at test time by
 * keytool (self-signed, for 127.0.0.1): with --ca (or the context that saved it) REST and gRPC
 * calls go through; without it, the certificate is not trusted and the CLI says so.
 */
class CliTlsIT {

    private static final String PASSWORD = "test-only";

    private static Path certificate;
    private static ControlPlaneProcess controlPlane;

    @BeforeAll
    static void startControlPlane() throws Exception {
        Path dir = Files.createTempDirectory("cli-test-tls-");
        keytool(
                dir,
                "-genkeypair",
                "-alias",
                "server",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-keyalg",
                "EC",
                "-validity",
                "2",
                "-keystore",
                "server.p12");
        keytool(dir, "-exportcert", "-alias", "server", "-rfc", "-keystore", "server.p12", "-file", "server.crt");
        certificate = dir.resolve("server.crt");
        controlPlane = ControlPlaneProcess.startTls(Map.of(
                "QUARKUS_TLS_KEY_STORE_P12_PATH",
                dir.resolve("server.p12").toString(),
                "QUARKUS_TLS_KEY_STORE_P12_PASSWORD",
                PASSWORD));
    }

    @AfterAll
    static void stopControlPlane() {
        controlPlane.close();
    }

    private static String server() {
        return "https://127.0.0.1:" + controlPlane.port();
    }

    @Test
    void aContextSavedWithItsCaTalksRestAndGrpcOverTls() {
        Cli cli = Cli.fresh(Map.of());

        Result login = cli.runWithInput(controlPlane.adminToken(), "login", server(), "--ca", certificate.toString());
        Result rest = cli.run("whoami");
        Result grpc = cli.run("list", "-o", "json");
        Result devices = cli.run("devices");

        assertThat(login.exitCode()).as(login.toString()).isZero();
        assertThat(rest.out()).contains("server:  " + server() + " (context 127.0.0.1)", "t-bootstrap");
        assertThat(grpc.exitCode()).as(grpc.toString()).isZero();
        assertThat(grpc.json().getAsJsonObject().has("actions")).isTrue();
        assertThat(devices.exitCode()).as(devices.toString()).isZero();
    }

    @Test
    void withoutTheCaTheServerIsNotTrustedAndTheCliSaysWhatToDo() {
        Cli cli = Cli.fresh(Map.of("WORKCELL_SERVER", server(), "WORKCELL_TOKEN", controlPlane.adminToken()));

        Result rest = cli.run("whoami");
        Result grpc = cli.run("list");
        Result trusted = cli.run("list", "--ca", certificate.toString());
        Result plaintext = cli.with(Map.of("WORKCELL_SERVER", "http://127.0.0.1:" + controlPlane.port()))
                .run("list");

        assertThat(rest.exitCode()).as(rest.toString()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(rest.err()).contains("TLS with " + server() + "/api/v1 failed", "--ca names the CA");
        assertThat(grpc.exitCode()).as(grpc.toString()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(grpc.err()).contains("TLS with the control plane failed", "--ca names the CA");
        assertThat(trusted.exitCode()).as(trusted.toString()).isZero();
        assertThat(plaintext.exitCode())
                .as("plaintext on the TLS port: " + plaintext)
                .isEqualTo(ExitCodes.UNREACHABLE);
    }

    private static void keytool(Path dir, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(arguments));
        command.addAll(List.of("-storepass", PASSWORD, "-storetype", "PKCS12"));
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", arguments) + " failed: " + output);
        }
    }
}
