package dev.workcell.controlplane.testing;

import io.quarkus.resteasy.reactive.server.runtime.ResteasyReactiveRecorder;
import jakarta.ws.rs.core.MediaType;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.server.core.Deployment;
import org.jboss.resteasy.reactive.server.handlers.ClassRoutingHandler;
import org.jboss.resteasy.reactive.server.handlers.RestInitialHandler;
import org.jboss.resteasy.reactive.server.mapping.RequestMapper;
import org.jboss.resteasy.reactive.server.mapping.RuntimeResource;

/**
 * The REST routes the running application serves, read from Quarkus REST's own routing tables
 * (the deployment it routes every request with), not from a list kept by hand.
 */
public final class LiveRoutes {

    /** One route: "GET /api/v1/actions/{id}", what it produces, and the Java method that serves it. */
    public record Route(String method, String path, List<MediaType> produces, Method javaMethod) {

        public String key() {
            return method + " " + path;
        }

        /**
         * Part of the API (under /api/): the dashboard's pages, live fragments and forms at / are for a
         * browser with a session, not for API clients, and the document leaves them out.
         */
        public boolean isApi() {
            return path.startsWith("/api/");
        }
    }

    private LiveRoutes() {}

    /** Every route of every resource class; call it inside a @QuarkusTest (the application must be running). */
    public static List<Route> all() {
        Deployment deployment = ResteasyReactiveRecorder.getCurrentDeployment();
        String prefix = trimSlash(deployment.getPrefix());
        List<Route> routes = new ArrayList<>();
        for (RequestMapper.RequestPath<RestInitialHandler.InitialMatch> resource : deployment.getClassMappers()) {
            String classPath = prefix + trimSlash(resource.template.template);
            for (var handler : resource.value.handlers) {
                if (handler instanceof ClassRoutingHandler classRouting) {
                    for (Map.Entry<String, RequestMapper<RuntimeResource>> byMethod :
                            classRouting.getMappers().entrySet()) {
                        for (RequestMapper.RequestPath<RuntimeResource> route :
                                byMethod.getValue().getTemplates()) {
                            routes.add(route(classPath, route.value));
                        }
                    }
                }
            }
        }
        return routes;
    }

    private static Route route(String classPath, RuntimeResource resource) {
        String path = classPath + trimSlash(resource.getPath().template);
        List<MediaType> produces = resource.getProduces() == null
                ? List.of()
                : Arrays.asList(resource.getProduces().getSortedOriginalMediaTypes());
        return new Route(resource.getHttpMethod(), path.isEmpty() ? "/" : path, produces, javaMethod(resource));
    }

    private static Method javaMethod(RuntimeResource resource) {
        try {
            return resource.getResourceClass().getMethod(resource.getJavaMethodName(), resource.getParameterTypes());
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(
                    "no method " + resource.getJavaMethodName() + " in " + resource.getResourceClass(), e);
        }
    }

    /** "/a/b/" and "a/b" as "/a/b"; "/" and "" as "". */
    private static String trimSlash(String path) {
        String trimmed = path == null ? "" : path.replaceAll("^/+|/+$", "");
        return trimmed.isEmpty() ? "" : "/" + trimmed;
    }
}
