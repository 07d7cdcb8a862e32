package dev.workcell.operator.common;

/** Patterns of the names Kubernetes accepts, shared by the CRD schemas and the operator's own checks. */
public final class Names {

    /** A Secret, ConfigMap or other object name (RFC 1123 subdomain). */
    public static final String DNS_SUBDOMAIN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    /** A key of a Secret's or ConfigMap's data. */
    public static final String SECRET_KEY = "^[-._a-zA-Z0-9]+$";

    /**
     * A container image reference: [registry[:port]/]path[:tag][@sha256:digest], lower-case path
     * components as the distribution spec requires.
     */
    public static final String IMAGE = "^([a-zA-Z0-9-]+(\\.[a-zA-Z0-9-]+)*(:[0-9]+)?/)?[a-z0-9]+([._-][a-z0-9]+)*"
            + "(/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$";

    /** A duration as Kubernetes and Go write it: 30s, 5m, 1h30m. */
    public static final String DURATION = "^([0-9]+(ms|s|m|h))+$";

    private Names() {}
}
