package dev.workcell.controlplane.security;

import java.util.Set;

/**
 * What a caller may do. A client token has one role, and each role includes the ones below it:
 * viewer (read and watch) &lt; submitter (submit, cancel its own actions) &lt; admin (everything,
 * fleet and tokens included). Agents authenticate with their own credential and hold only "agent".
 */
public final class Roles {

    public static final String VIEWER = "viewer";
    public static final String SUBMITTER = "submitter";
    public static final String ADMIN = "admin";
    public static final String AGENT = "agent";

    private Roles() {}

    /** The roles a client token of this role holds; empty for an unknown role. */
    public static Set<String> grantedBy(String role) {
        return switch (role) {
            case VIEWER -> Set.of(VIEWER);
            case SUBMITTER -> Set.of(VIEWER, SUBMITTER);
            case ADMIN -> Set.of(VIEWER, SUBMITTER, ADMIN);
            default -> Set.of();
        };
    }

    public static boolean isClientRole(String role) {
        return !grantedBy(role).isEmpty();
    }
}
