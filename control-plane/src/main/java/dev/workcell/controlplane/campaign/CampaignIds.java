package dev.workcell.controlplane.campaign;

import dev.workcell.controlplane.errors.InvalidRequestException;
import dev.workcell.controlplane.errors.NotFoundException;
import io.smallrye.mutiny.Uni;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.function.Function;
import java.util.regex.Pattern;

/** Ids of subjects and campaigns: 16 lowercase hex characters (64 random bits). */
final class CampaignIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern FORMAT = Pattern.compile("[0-9a-f]{16}");

    private CampaignIds() {}

    static String next() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Returns the id, or throws naming the field when it is empty or malformed. */
    static String requireValid(String field, String id) {
        if (id == null || id.isEmpty()) {
            throw new InvalidRequestException(field, "required (an id: 16 lowercase hex characters)");
        }
        if (!FORMAT.matcher(id).matches()) {
            throw new InvalidRequestException(
                    field,
                    "'" + (id.length() > 64 ? id.substring(0, 64) + "…" : id)
                            + "' is not an id (16 lowercase hex characters)");
        }
        return id;
    }

    /**
     * What the id in a request's path names, read by {@code byId}: 400 naming the field {@code id} when
     * it is malformed, 404 ("no campaign …") when nothing has it. Give {@code byId} as a lambda: a
     * method reference to an entity's findById calls PanacheEntityBase's, which Panache does not enhance.
     */
    static <E> Uni<E> found(String kind, String id, Function<? super String, Uni<? extends E>> byId) {
        return Uni.createFrom().item(() -> requireValid("id", id)).chain(byId).map(found -> {
            if (found == null) {
                throw new NotFoundException("no " + kind + " " + id);
            }
            return found;
        });
    }
}
