package dev.workcell.cli.connect;

import java.nio.file.Path;

/**
 * What a command connects to and with: the server, the bearer token (null when none is known), the
 * PEM file of the CA that signed the server's certificate (null: the JVM's CAs), and the context
 * these came from (null when only flags and environment gave them).
 */
public record Endpoint(String context, ServerAddress server, String token, Path ca) {}
