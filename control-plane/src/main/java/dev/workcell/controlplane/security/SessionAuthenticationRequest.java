package dev.workcell.controlplane.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** The secret of a dashboard session cookie, to be turned into the signed-in person's identity. */
public class SessionAuthenticationRequest extends BaseAuthenticationRequest {

    private final String secret;

    public SessionAuthenticationRequest(String secret) {
        this.secret = secret;
    }

    public String secret() {
        return secret;
    }
}
