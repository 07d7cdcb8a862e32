package dev.workcell.controlplane.artifact;

import dev.workcell.controlplane.errors.InvalidRequestException;
import dev.workcell.proto.v1.ActionInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Artifact ids (lowercase hex SHA-256) and the {@code artifact:<sha256>} references inputs make to them. */
public final class ArtifactRefs {

    public static final String PREFIX = "artifact:";
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private ArtifactRefs() {}

    public static String requireSha256(String field, String sha256) {
        if (!SHA256.matcher(sha256).matches()) {
            throw new InvalidRequestException(
                    field,
                    "'" + (sha256.length() > 80 ? sha256.substring(0, 80) + "…" : sha256)
                            + "' is not a SHA-256 (64 lowercase hex characters)");
        }
        return sha256;
    }

    /** The SHA-256 a value refers to, when it is an artifact reference. */
    public static Optional<String> referenced(String value) {
        return value.startsWith(PREFIX) ? Optional.of(value.substring(PREFIX.length())) : Optional.empty();
    }

    /** Every artifact an input refers to, by field name. */
    public static List<Reference> of(ActionInput input) {
        List<Reference> references = new ArrayList<>();
        switch (input.getKindCase()) {
            case TRACE ->
                add(references, "input.trace.subject", input.getTrace().getSubject());
            case REPLAY ->
                add(references, "input.replay.trace", input.getReplay().getTrace());
            case REPORT ->
                add(references, "input.report.trace", input.getReport().getTrace());
            case EXEC -> {
                for (int i = 0; i < input.getExec().getArgvCount(); i++) {
                    add(
                            references,
                            "input.exec.argv[" + i + "]",
                            input.getExec().getArgv(i));
                }
            }
            default -> {}
        }
        return references;
    }

    /** A field of an input that refers to an artifact. */
    public record Reference(String field, String sha256) {}

    private static void add(List<Reference> references, String field, String value) {
        referenced(value).ifPresent(sha256 -> references.add(new Reference(field, requireSha256(field, sha256))));
    }
}
