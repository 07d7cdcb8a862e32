package dev.workcell.cli.connect;

import dev.workcell.cli.CliException;
import dev.workcell.cli.ExitCodes;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Which control plane a command talks to, and as whom: flags, then the environment
 * (WORKCELL_SERVER, WORKCELL_TOKEN, WORKCELL_CA, WORKCELL_CONTEXT), then the saved context.
 * A token saved for one server is never sent to another one named by a flag or the environment.
 */
public class ConnectionOptions {

    @Option(
            names = "--context",
            paramLabel = "NAME",
            defaultValue = "${env:WORKCELL_CONTEXT}",
            description = "Saved context to use (default: the current one; env WORKCELL_CONTEXT).")
    String context;

    @Option(
            names = "--server",
            paramLabel = "URL",
            defaultValue = "${env:WORKCELL_SERVER}",
            description = "Control plane, e.g. https://cp.lab:8443 (env WORKCELL_SERVER).")
    String server;

    @Option(
            names = "--ca",
            paramLabel = "PEM",
            defaultValue = "${env:WORKCELL_CA}",
            description =
                    "CA certificate(s) that signed the server's certificate (env WORKCELL_CA; default: the JVM's CAs).")
    Path ca;

    /** Connects to the resolved endpoint; the connection is opened by the first call. */
    public ControlPlane open() {
        return new ControlPlane(endpoint());
    }

    /** The server, token and CA this command would use. */
    public Endpoint endpoint() {
        Contexts contexts = ConfigFile.ofUser().load();
        String name = context != null ? context : contexts.current();
        Optional<Contexts.Context> saved = context != null
                ? Optional.of(contexts.require(context))
                : name == null ? Optional.empty() : contexts.get(name);
        if (server == null && saved.isEmpty()) {
            throw new CliException(
                    ExitCodes.NOT_ALLOWED,
                    "no control plane configured: run `workcell login SERVER`, or set WORKCELL_SERVER and WORKCELL_TOKEN");
        }
        ServerAddress address =
                ServerAddress.parse(server != null ? server : saved.get().server());
        boolean savedServer =
                saved.isPresent() && ServerAddress.parse(saved.get().server()).equals(address);
        String token = System.getenv("WORKCELL_TOKEN");
        if (token == null || token.isBlank()) {
            token = savedServer ? saved.get().token() : null;
        }
        if (token == null || token.isBlank()) {
            throw new CliException(
                    ExitCodes.NOT_ALLOWED,
                    "no token for " + address + ": run `workcell login " + address + "`, or set WORKCELL_TOKEN");
        }
        Path caFile = ca != null
                ? ca
                : savedServer && saved.get().ca() != null ? Path.of(saved.get().ca()) : null;
        return new Endpoint(savedServer ? name : null, address, token.trim(), caFile);
    }
}
