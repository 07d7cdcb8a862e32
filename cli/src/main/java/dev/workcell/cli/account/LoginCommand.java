package dev.workcell.cli.account;

import com.google.gson.JsonElement;
import dev.workcell.cli.CliException;
import dev.workcell.cli.ExitCodes;
import dev.workcell.cli.connect.ConfigFile;
import dev.workcell.cli.connect.Contexts;
import dev.workcell.cli.connect.ControlPlane;
import dev.workcell.cli.connect.Endpoint;
import dev.workcell.cli.connect.ServerAddress;
import dev.workcell.cli.output.Json;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** workcell login: checks a token against a control plane, then saves both as a context and makes it current. */
@Command(
        name = "login",
        description = {
            "Check a token against a control plane and save both as the current context.",
            "The token is read from stdin, or asked for on a terminal: echo \"$TOKEN\" | workcell login https://cp.lab:8443"
        })
public class LoginCommand implements Callable<Integer> {

    @Parameters(
            paramLabel = "SERVER",
            description = "https://host[:port] (8443), or http://host[:port] (8080) for a development server.")
    String server;

    @Option(
            names = "--context",
            paramLabel = "NAME",
            description = "Name of the context (default: the server's host name).")
    String name;

    @Option(
            names = "--ca",
            paramLabel = "PEM",
            description = "CA certificate(s) that signed the server's certificate (default: the JVM's CAs).")
    Path ca;

    @Override
    public Integer call() {
        ServerAddress address = ServerAddress.parse(server);
        String token = readToken(address);
        Path caFile = ca == null ? null : ca.toAbsolutePath();
        JsonElement who;
        try (ControlPlane controlPlane = new ControlPlane(new Endpoint(null, address, token, caFile))) {
            who = controlPlane.rest().get("/whoami");
        }
        String context = name != null ? name : address.host();
        ConfigFile config = ConfigFile.ofUser();
        config.save(config.load()
                .withCurrent(
                        context,
                        new Contexts.Context(address.toString(), token, caFile == null ? null : caFile.toString())));
        System.out.println(
                "Logged in to " + address + " as " + Json.text(who, "name") + " (" + Json.text(who, "id") + ", "
                        + Json.joined(who, "roles") + "); context '" + context
                        + "' is current (" + config.path() + ")");
        return 0;
    }

    private static String readToken(ServerAddress address) {
        Console console = System.console();
        String token;
        if (console != null) {
            char[] typed = console.readPassword("Token for %s: ", address);
            token = typed == null ? null : new String(typed);
        } else {
            try {
                token = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            } catch (IOException e) {
                throw new CliException(ExitCodes.USAGE, "cannot read the token from stdin: " + e.getMessage());
            }
        }
        if (token == null || token.isBlank()) {
            throw new CliException(ExitCodes.USAGE, "no token given (on stdin, or typed at the prompt)");
        }
        return token.trim();
    }
}
