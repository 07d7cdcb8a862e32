package dev.workcell.controlplane.web;

import dev.workcell.controlplane.errors.ErrorBody;
import dev.workcell.controlplane.security.SessionIdentityProvider;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every state-changing dashboard request (any method but GET and HEAD, outside the API) must carry
 * its session's CSRF token in the {@value #HEADER} header, which the pages' script adds to each
 * htmx request; without it, or with another, it is refused (403) before it reaches its page. The
 * sign-in form is the one exception: it has no session yet.
 */
public class CsrfCheck {

    public static final String HEADER = "X-CSRF-Token";
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    private final CurrentIdentityAssociation identities;

    public CsrfCheck(CurrentIdentityAssociation identities) {
        this.identities = identities;
    }

    @ServerRequestFilter(priority = Priorities.AUTHORIZATION)
    public Uni<RestResponse<ErrorBody>> check(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (SAFE.contains(request.getMethod()) || path.startsWith("/api/") || path.equals(SignInPage.PATH)) {
            return Uni.createFrom().nullItem();
        }
        String presented = request.getHeaderString(HEADER);
        return identities.getDeferredIdentity().map(identity -> {
            String expected =
                    identity.isAnonymous() ? null : identity.getAttribute(SessionIdentityProvider.CSRF_ATTRIBUTE);
            if (expected == null) {
                return null; // no session: the page itself sends the person to sign in
            }
            if (presented != null
                    && MessageDigest.isEqual(
                            expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8))) {
                return null;
            }
            return RestResponse.ResponseBuilder.create(
                            RestResponse.Status.FORBIDDEN,
                            new ErrorBody(
                                    "missing or wrong CSRF token: this session's pages send it in the " + HEADER
                                            + " header",
                                    HEADER))
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .build();
        });
    }
}
