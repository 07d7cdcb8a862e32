package dev.workcell.controlplane.web;

import dev.workcell.controlplane.security.Caller;
import dev.workcell.controlplane.security.Roles;

/** The signed-in person a page is rendered for: who, what their role lets them do, and their session's CSRF token. */
public record Viewer(Caller caller, String csrfToken) {

    public String name() {
        return caller.name();
    }

    public String role() {
        return isAdmin() ? Roles.ADMIN : canSubmit() ? Roles.SUBMITTER : Roles.VIEWER;
    }

    public boolean canSubmit() {
        return caller.roles().contains(Roles.SUBMITTER);
    }

    public boolean isAdmin() {
        return caller.isAdmin();
    }
}
