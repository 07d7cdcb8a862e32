package dev.workcell.controlplane.web;

import dev.workcell.controlplane.errors.InvalidRequestException;
import dev.workcell.controlplane.worker.Fleet;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * The Fleet view, the dashboard's home: hosts and their devices with state, health, labels, the
 * action each runs now, approval and last seen; filters in the URL; {@value #PAGE_SIZE} devices a
 * page. Open to every signed-in role (the page checks the session itself, hence @PermitAll).
 */
@Path("/")
@PermitAll
@Produces(MediaType.TEXT_HTML)
public class FleetPage {

    static final int PAGE_SIZE = 100;

    private final Template fleet;
    private final Fleet devices;
    private final SignedIn signedIn;
    private final Frames frames;

    public FleetPage(@Location("fleet.html") Template fleet, Fleet devices, SignedIn signedIn, Frames frames) {
        this.fleet = fleet;
        this.devices = devices;
        this.signedIn = signedIn;
        this.frames = frames;
    }

    /** Filters of the fleet view as they appear in its URL. */
    public record Query(String state, String host, String q, int offset) {

        Fleet.Filter filter() {
            return new Fleet.Filter(state, host, q);
        }

        public String previous() {
            return at(Math.max(0, offset - PAGE_SIZE));
        }

        public String next() {
            return at(offset + PAGE_SIZE);
        }

        /** This query's URL at another offset. */
        private String at(int newOffset) {
            return Links.of("/")
                    .with("state", state)
                    .with("host", host)
                    .with("q", q)
                    .with("offset", newOffset == 0 ? "" : Integer.toString(newOffset))
                    .toString();
        }
    }

    /** One host of a page and its devices on that page. */
    public record Host(String name, String id, List<Fleet.Member> devices) {}

    static List<Host> byHost(List<Fleet.Member> members) {
        Map<String, List<Fleet.Member>> hosts = new LinkedHashMap<>();
        members.forEach(member -> hosts.computeIfAbsent(member.worker().getHost(), id -> new ArrayList<>())
                .add(member));
        return hosts.values().stream()
                .map(devices -> new Host(
                        devices.get(0).worker().getHostName(),
                        devices.get(0).worker().getHost(),
                        devices))
                .toList();
    }

    @GET
    public Uni<TemplateInstance> page(
            @RestQuery String state, @RestQuery String host, @RestQuery String q, @RestQuery Integer offset) {
        Query query = new Query(orEmpty(state), orEmpty(host), orEmpty(q), offset == null ? 0 : offset);
        if (!query.state().isEmpty() && !Fleet.STATES.contains(query.state())) {
            throw new InvalidRequestException("state", "one of " + Fleet.STATES + ", got '" + query.state() + "'");
        }
        if (query.offset() < 0) {
            throw new InvalidRequestException("offset", "must not be negative");
        }
        return signedIn.viewer()
                .chain(viewer -> frames.of(viewer, "fleet"))
                .chain(frame -> devices.page(query.filter(), query.offset(), PAGE_SIZE)
                        .map(page -> fleet.data("frame", frame)
                                .data("query", query)
                                .data("page", page)
                                .data("hosts", byHost(page.members()))
                                .data("states", Fleet.STATES)));
    }

    static String orEmpty(String value) {
        return value == null ? "" : value.trim();
    }
}
