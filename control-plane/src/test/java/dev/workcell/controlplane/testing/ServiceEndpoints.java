package dev.workcell.controlplane.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A Kubernetes Service in front of control-plane processes, on loopback: it reads each replica's
 * readiness every {@link #PERIOD} (as the endpoints controller and kube-proxy would) and sends the
 * proxy's new connections to the first ready replica; open connections stay where they are, as
 * kube-proxy leaves established connections alone.
 */
public final class ServiceEndpoints implements AutoCloseable {

    static final Duration PERIOD = Duration.ofMillis(100);

    private final TcpProxy proxy;
    private final List<ControlPlaneProcess> replicas;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final Thread poller;
    private volatile boolean closed;

    /** A Service whose proxy forwards to the first of the replicas until readiness says otherwise. */
    public ServiceEndpoints(List<ControlPlaneProcess> replicas) {
        this.replicas = replicas;
        this.proxy = new TcpProxy(replicas.get(0).port());
        this.poller = new Thread(this::follow, "service-endpoints");
        poller.setDaemon(true);
        poller.start();
    }

    /** The Service's address (a port on loopback), for agents and clients. */
    public int port() {
        return proxy.port();
    }

    private void follow() {
        while (!closed) {
            firstReady().ifPresent(replica -> proxy.sendNewConnectionsTo(replica.port()));
            try {
                Thread.sleep(PERIOD.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private Optional<ControlPlaneProcess> firstReady() {
        return replicas.stream().filter(this::ready).findFirst();
    }

    private boolean ready(ControlPlaneProcess replica) {
        try {
            HttpRequest request = HttpRequest.newBuilder(
                            URI.create("http://localhost:" + replica.managementPort() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(1))
                    .build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        closed = true;
        poller.interrupt();
        proxy.close();
    }
}
