package dev.workcell.agent.enrollment;

import dev.workcell.agent.config.AgentConfig;
import dev.workcell.agent.device.DeviceDiscovery;
import dev.workcell.proto.v1.AgentService;
import dev.workcell.proto.v1.EnrollRequest;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The agent's own credential: read from its file, or obtained once by enrolling with the
 * configured enrollment token and kept in that file (mode 0600) for every later start.
 */
@ApplicationScoped
public class AgentCredential {

    private static final Logger LOG = Logger.getLogger(AgentCredential.class);

    private final AgentService controlPlane;
    private final DeviceDiscovery devices;
    private final Optional<String> enrollmentToken;
    private final Path file;
    private final String version;
    private volatile String credential;

    AgentCredential(
            @GrpcClient("control-plane") AgentService controlPlane, DeviceDiscovery devices, AgentConfig config) {
        this.controlPlane = controlPlane;
        this.devices = devices;
        this.enrollmentToken = config.enrollmentToken().filter(token -> !token.isBlank());
        this.file = config.credentialFile();
        this.version = config.version();
    }

    /** The credential, enrolling first when the agent has none; fails with a message saying what to configure. */
    public Uni<String> obtain() {
        if (credential != null) {
            return Uni.createFrom().item(credential);
        }
        return Uni.createFrom()
                .item(this::readFile)
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(stored -> stored.isPresent() ? Uni.createFrom().item(stored.get()) : enroll())
                .invoke(found -> credential = found);
    }

    /** The credential if the agent has one already, for the calls that carry it. */
    Optional<String> current() {
        return Optional.ofNullable(credential);
    }

    private Uni<String> enroll() {
        if (enrollmentToken.isEmpty()) {
            return Uni.createFrom()
                    .failure(new IllegalStateException("no credential in " + file
                            + " and no enrollment token: set WORKCELL_AGENT_ENROLLMENT_TOKEN (an admin creates one with"
                            + " POST /api/v1/enrollment-tokens)"));
        }
        return controlPlane
                .enroll(EnrollRequest.newBuilder()
                        .setEnrollmentToken(enrollmentToken.get())
                        .setHost(devices.current().host())
                        .setAgentVersion(version)
                        .build())
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(enrolled -> {
                    writeFile(enrolled.getCredential());
                    LOG.infof(
                            "enrolled as agent %s for host %s (pool %s); credential kept in %s",
                            enrolled.getAgentId(), enrolled.getHostId(), enrolled.getPool(), file);
                    return enrolled.getCredential();
                });
    }

    private Optional<String> readFile() {
        try {
            return Files.exists(file)
                    ? Optional.of(Files.readString(file, StandardCharsets.UTF_8).trim())
                    : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the agent credential " + file, e);
        }
    }

    /** Written to a private temporary file first, then moved: never readable by others, never half written. */
    private void writeFile(String secret) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path temporary = file.resolveSibling(file.getFileName() + ".new");
            Files.deleteIfExists(temporary);
            Files.createFile(
                    temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temporary, secret, StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the agent credential in " + file, e);
        }
    }
}
