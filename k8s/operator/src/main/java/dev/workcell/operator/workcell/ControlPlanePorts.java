package dev.workcell.operator.workcell;

/** The ports the control plane listens on in its pod (README, Running it; Health and metrics). */
public final class ControlPlanePorts {

    /** REST and gRPC over TLS (WORKCELL_TLS_PORT). */
    public static final int API_TLS = 8443;
    /** REST and gRPC in plaintext (QUARKUS_HTTP_PORT with WORKCELL_PLAINTEXT=enabled). */
    public static final int API_PLAINTEXT = 8080;
    /** Health, metrics and info, plaintext and without a token (QUARKUS_MANAGEMENT_PORT). */
    public static final int MANAGEMENT = 9000;

    public static final String API_NAME = "api";
    public static final String MANAGEMENT_NAME = "management";

    public static int api(TlsSpec tls) {
        return tls.plaintextRequested() ? API_PLAINTEXT : API_TLS;
    }

    private ControlPlanePorts() {}
}
