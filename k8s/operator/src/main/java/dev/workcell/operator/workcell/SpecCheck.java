package dev.workcell.operator.workcell;

import dev.workcell.operator.common.Names;
import dev.workcell.operator.common.SecretKeyRef;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The rules of the Workcell CRD's schema, checked again by the operator: an API server that has an
 * older CRD, or none that validates (the tests' mock server), must not get an invalid Workcell
 * half-applied. Each problem names the field, as {@code spec.replicas: must be 0 or more, not -1}.
 */
public final class SpecCheck {

    private static final Pattern IMAGE = Pattern.compile(Names.IMAGE);
    private static final Pattern VERSION = Pattern.compile(ControlPlaneVersions.PATTERN);
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile(Names.DNS_SUBDOMAIN);
    private static final Pattern URL = Pattern.compile(DatabaseSpec.URL);
    private static final Pattern HOST = Pattern.compile(DatabaseSpec.HOST);

    private SpecCheck() {}

    public static List<String> problems(WorkcellSpec spec) {
        List<String> problems = new ArrayList<>();
        if (spec == null) {
            problems.add("spec: required");
            return problems;
        }
        if (spec.version() == null) {
            problems.add("spec.version: required");
        } else if (!VERSION.matcher(spec.version()).matches()) {
            problems.add("spec.version: not a version like 0.1.0: '" + spec.version() + "'");
        }
        if (spec.image() != null && !IMAGE.matcher(spec.image()).matches()) {
            problems.add("spec.image: not an image reference: '" + spec.image() + "'");
        }
        if (spec.replicas() != null && spec.replicas() < 0) {
            problems.add("spec.replicas: must be 0 or more, not " + spec.replicas());
        }
        database(spec.database(), problems);
        tls(spec.tls(), problems);
        return problems;
    }

    private static void database(DatabaseSpec database, List<String> problems) {
        if (database == null) {
            problems.add("spec.database: required");
            return;
        }
        boolean anyPart = database.host() != null || database.name() != null;
        boolean allParts = database.host() != null && database.name() != null;
        if (database.url() != null ? anyPart : !allParts) {
            problems.add("spec.database: " + DatabaseSpec.ONE_ADDRESS_MESSAGE);
        }
        if (database.url() != null && !URL.matcher(database.url()).matches()) {
            problems.add("spec.database.url: not postgresql://host[:port]/database: '" + database.url() + "'");
        }
        if (database.host() != null && !HOST.matcher(database.host()).matches()) {
            problems.add("spec.database.host: not a host name: '" + database.host() + "'");
        }
        if (database.port() != null && (database.port() < 1 || database.port() > 65535)) {
            problems.add("spec.database.port: must be 1 to 65535, not " + database.port());
        }
        if (database.poolSize() != null && database.poolSize() < 1) {
            problems.add("spec.database.poolSize: must be 1 or more, not " + database.poolSize());
        }
        secretKey("spec.database.user", database.user(), problems);
        secretKey("spec.database.password", database.password(), problems);
    }

    private static void tls(TlsSpec tls, List<String> problems) {
        if (tls == null) {
            problems.add("spec.tls: required (serverCertificateSecret, or plaintext: true)");
            return;
        }
        if ((tls.serverCertificateSecret() != null) == tls.plaintextRequested()) {
            problems.add("spec.tls: " + TlsSpec.CERTIFICATE_OR_PLAINTEXT_MESSAGE);
        }
        if (tls.agentCertificatesRequired() && tls.agentCaSecret() == null) {
            problems.add("spec.tls: " + TlsSpec.AGENT_CA_MESSAGE);
        }
    }

    private static void secretKey(String field, SecretKeyRef ref, List<String> problems) {
        if (ref == null || ref.name() == null || ref.key() == null) {
            problems.add(field + ": required, with name and key of a Secret");
        } else if (!DNS_SUBDOMAIN.matcher(ref.name()).matches()) {
            problems.add(field + ".name: not a Secret name: '" + ref.name() + "'");
        }
    }
}
