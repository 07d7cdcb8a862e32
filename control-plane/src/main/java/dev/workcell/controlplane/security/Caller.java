package dev.workcell.controlplane.security;

import io.quarkus.security.identity.SecurityIdentity;
import java.util.Set;

/**
 * Who is calling: a client token (id, name, roles) or an enrolled agent (its id and host). The
 * id, never the secret, is what the ledger and the audit record.
 */
public record Caller(String id, String name, Set<String> roles, String agentHostId) {

    static final String HOST_ATTRIBUTE = "workcell.host";
    static final String NAME_ATTRIBUTE = "workcell.name";

    public static Caller of(SecurityIdentity identity) {
        return new Caller(
                identity.getPrincipal().getName(),
                identity.getAttribute(NAME_ATTRIBUTE),
                identity.getRoles(),
                identity.getAttribute(HOST_ATTRIBUTE));
    }

    public boolean isAdmin() {
        return roles.contains(Roles.ADMIN);
    }

    /** How the ledger names this caller: "token wct-id (name)" or "agent wca-id". */
    public String describe() {
        return agentHostId != null ? "agent " + id : "token " + id + " (" + name + ")";
    }
}
