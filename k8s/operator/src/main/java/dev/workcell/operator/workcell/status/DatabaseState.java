package dev.workcell.operator.workcell.status;

/**
 * What the operator's own login to a Workcell's PostgreSQL found.
 *
 * @param reason the DatabaseReady condition's reason: Connected, DatabaseUnreachable,
 *     DatabaseLoginFailed, DatabaseMissing, DatabaseError, CredentialsMissing
 * @param schemaVersion Flyway's latest applied migration, null when none was applied yet
 */
public record DatabaseState(boolean ready, String reason, String message, String schemaVersion) {

    public static DatabaseState credentialsMissing(String what) {
        return new DatabaseState(false, "CredentialsMissing", "not checked: " + what, null);
    }
}
