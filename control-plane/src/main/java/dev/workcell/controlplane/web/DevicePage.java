package dev.workcell.controlplane.web;

import dev.workcell.controlplane.device.DeviceStore;
import dev.workcell.controlplane.errors.InvalidRequestException;
import dev.workcell.controlplane.errors.NotFoundException;
import dev.workcell.controlplane.labels.DeviceLabels;
import dev.workcell.controlplane.quarantine.QuarantineView;
import dev.workcell.controlplane.quarantine.Quarantines;
import dev.workcell.controlplane.security.Roles;
import dev.workcell.proto.v1.Device;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.resteasy.reactive.RestForm;

/**
 * The Device view: a device's description, its dimensions, the labels admins gave it and its
 * quarantine with the evidence; an admin quarantines, releases and labels it here, as the API does
 * (the server checks the role, the page only hides the forms).
 */
@Path("/devices/{id: [0-9a-f]{40}}")
@PermitAll
@Produces(MediaType.TEXT_HTML)
public class DevicePage {

    private final Template page;
    private final DeviceStore devices;
    private final Quarantines quarantines;
    private final DeviceLabels labels;
    private final SignedIn signedIn;
    private final Frames frames;

    public DevicePage(
            @Location("device.html") Template page,
            DeviceStore devices,
            Quarantines quarantines,
            DeviceLabels labels,
            SignedIn signedIn,
            Frames frames) {
        this.page = page;
        this.devices = devices;
        this.quarantines = quarantines;
        this.labels = labels;
        this.signedIn = signedIn;
        this.frames = frames;
    }

    @GET
    public Uni<TemplateInstance> page(@PathParam("id") String id) {
        return signedIn.viewer()
                .chain(viewer -> frames.of(viewer, "fleet")
                        .chain(frame -> view(id, viewer, null)
                                .map(view -> page.data("frame", frame).data("view", view))));
    }

    @POST
    @Path("quarantine")
    public Uni<String> quarantine(@PathParam("id") String id, @RestForm String note, @RestForm String hours) {
        return signedIn.withRole(Roles.ADMIN)
                .chain(viewer -> Uni.createFrom()
                        .item(() -> until(hours))
                        .chain(until -> quarantines.quarantine(
                                id, required(note), until, viewer.caller().describe()))
                        .replaceWith((String) null)
                        .onFailure(InvalidRequestException.class)
                        .recoverWithItem(Throwable::getMessage)
                        .chain(error -> state(id, viewer, error)));
    }

    @POST
    @Path("release")
    public Uni<String> release(@PathParam("id") String id, @RestForm String note) {
        return signedIn.withRole(Roles.ADMIN)
                .chain(viewer -> quarantines
                        .release(
                                id,
                                note == null || note.isBlank() ? "released by an admin" : note.strip(),
                                viewer.caller().describe())
                        .chain(released -> state(id, viewer, null)));
    }

    /** {@code labels}: "key=value" pairs separated by spaces or commas, all the labels the device is to have from admins. */
    @POST
    @Path("labels")
    public Uni<String> label(@PathParam("id") String id, @RestForm String labels) {
        return signedIn.withRole(Roles.ADMIN)
                .chain(viewer -> Uni.createFrom()
                        .item(() -> parse(labels))
                        .chain(wanted ->
                                this.labels.set(id, wanted, viewer.caller().describe()))
                        .replaceWith((String) null)
                        .onFailure(InvalidRequestException.class)
                        .recoverWithItem(Throwable::getMessage)
                        .chain(error -> state(id, viewer, error)));
    }

    private Uni<String> state(String id, Viewer viewer, String error) {
        return view(id, viewer, error)
                .map(view -> page.getFragment("state").data("view", view).render());
    }

    private Uni<DeviceView> view(String id, Viewer viewer, String error) {
        return devices.resolve(id)
                .map(found -> found.filter(device -> device.getId().equals(id))
                        .orElseThrow(() -> new NotFoundException("no device " + id)))
                .chain(device -> quarantines
                        .inForce(id)
                        .map(quarantine -> new DeviceView(device, quarantine.orElse(null), viewer, error)));
    }

    private static String required(String note) {
        if (note == null || note.isBlank()) {
            throw new InvalidRequestException("note", "required: why the device is quarantined");
        }
        return note.strip();
    }

    private static OffsetDateTime until(String hours) {
        if (hours == null || hours.isBlank()) {
            return null;
        }
        try {
            long parsed = Long.parseLong(hours.strip());
            if (parsed < 1 || parsed > 24 * 366) {
                throw new InvalidRequestException("hours", "between 1 and " + 24 * 366 + ", or empty until released");
            }
            return OffsetDateTime.now().plusHours(parsed);
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("hours", "a whole number of hours, got '" + hours + "'");
        }
    }

    static Map<String, String> parse(String text) {
        Map<String, String> parsed = new LinkedHashMap<>();
        for (String pair : (text == null ? "" : text).split("[\\s,]+")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new InvalidRequestException("labels", "key=value pairs separated by spaces, got '" + pair + "'");
            }
            parsed.put(pair.substring(0, equals), pair.substring(equals + 1));
        }
        return parsed;
    }

    /** What the Device view shows; {@code quarantine} is null when the device is in none. */
    public record DeviceView(Device device, QuarantineView quarantine, Viewer viewer, String error) {

        /** The admin labels as the form takes them back. */
        public String labelsText() {
            return String.join(
                    " ",
                    device.getAdminLabelsMap().entrySet().stream()
                            .map(label -> label.getKey() + "=" + label.getValue())
                            .sorted()
                            .toList());
        }
    }
}
