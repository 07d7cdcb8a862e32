package dev.workcell.controlplane.quarantine;

import dev.workcell.controlplane.device.DeviceStore;
import dev.workcell.controlplane.errors.InvalidRequestException;
import dev.workcell.controlplane.errors.NotFoundException;
import dev.workcell.controlplane.security.CurrentCaller;
import dev.workcell.controlplane.security.Roles;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/** Quarantine over REST: admins quarantine and release devices; viewers see who is in quarantine and why. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class QuarantineResource {

    /** POST /devices/{id}/quarantine: why, and optionally until when (ISO-8601 with offset, in the future). */
    public record QuarantineRequest(String note, String until) {}

    /** GET /quarantines. */
    public record QuarantineList(List<QuarantineView> quarantines) {}

    private static final int MAX_NOTE = 500;

    private final Quarantines quarantines;
    private final DeviceStore devices;
    private final CurrentCaller caller;

    public QuarantineResource(Quarantines quarantines, DeviceStore devices, CurrentCaller caller) {
        this.quarantines = quarantines;
        this.devices = devices;
        this.caller = caller;
    }

    @POST
    @Path("devices/{id}/quarantine")
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<QuarantineView> quarantine(@PathParam("id") String idOrSerial, QuarantineRequest request) {
        return Uni.createFrom()
                .item(() -> {
                    if (request == null) {
                        throw new InvalidRequestException(
                                "body",
                                "required: {\"note\": \"why\", \"until\": \"2030-01-01T00:00:00Z\" (optional)}");
                    }
                    return until(request.until());
                })
                .chain(until -> {
                    String note = note(request.note(), true);
                    return devices.idOf(idOrSerial)
                            .chain(deviceId -> caller.get()
                                    .chain(by -> quarantines.quarantine(deviceId, note, until, by.describe())));
                })
                .map(started -> QuarantineView.of(started, List.of()));
    }

    /** Ends the quarantine; the optional {@code note} query parameter says why. */
    @DELETE
    @Path("devices/{id}/quarantine")
    @RolesAllowed(Roles.ADMIN)
    public Uni<QuarantineView> release(@PathParam("id") String idOrSerial, @QueryParam("note") String note) {
        return Uni.createFrom()
                .item(() -> note == null ? "released by an admin" : note(note, false))
                .chain(why -> devices.idOf(idOrSerial)
                        .chain(deviceId -> caller.get().chain(by -> quarantines.release(deviceId, why, by.describe()))))
                .map(released -> QuarantineView.of(released, List.of()));
    }

    @GET
    @Path("devices/{id}/quarantine")
    @RolesAllowed(Roles.VIEWER)
    public Uni<QuarantineView> current(@PathParam("id") String idOrSerial) {
        return devices.idOf(idOrSerial)
                .chain(deviceId -> quarantines
                        .inForce(deviceId)
                        .map(active -> active.orElseThrow(
                                () -> new NotFoundException("device " + idOrSerial + " is not in quarantine"))));
    }

    @GET
    @Path("quarantines")
    @RolesAllowed(Roles.VIEWER)
    public Uni<QuarantineList> active() {
        return Panache.withSession(() -> Quarantine.active()
                .onItem()
                .transformToMulti(list -> Multi.createFrom().iterable(list))
                .onItem()
                .transformToUniAndConcatenate(QuarantineResource::withEvidence)
                .collect()
                .asList()
                .map(QuarantineList::new));
    }

    private static Uni<QuarantineView> withEvidence(Quarantine quarantine) {
        return QuarantineEvidence.of(quarantine.id).map(evidence -> QuarantineView.of(quarantine, evidence));
    }

    private static String note(String note, boolean required) {
        if (note == null || note.isBlank()) {
            if (required) {
                throw new InvalidRequestException("note", "required: why the device is quarantined");
            }
            throw new InvalidRequestException("note", "must not be blank");
        }
        if (note.length() > MAX_NOTE || note.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidRequestException("note", "1 to " + MAX_NOTE + " characters, no control characters");
        }
        return note.strip();
    }

    private static OffsetDateTime until(String until) {
        if (until == null) {
            return null;
        }
        try {
            OffsetDateTime parsed = OffsetDateTime.parse(until);
            if (!parsed.isAfter(OffsetDateTime.now())) {
                throw new InvalidRequestException("until", "must be in the future, was " + until);
            }
            return parsed;
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(
                    "until", "an ISO-8601 date-time with offset, e.g. 2030-01-01T12:00:00Z; was '" + until + "'");
        }
    }
}
