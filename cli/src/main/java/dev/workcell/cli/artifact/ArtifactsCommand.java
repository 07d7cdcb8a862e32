package dev.workcell.cli.artifact;

import picocli.CommandLine.Command;

/** workcell artifacts: the files actions produced. */
@Command(
        name = "artifacts",
        description = "Files actions produced: list them, download them.",
        subcommands = {ArtifactListCommand.class, ArtifactGetCommand.class})
public class ArtifactsCommand {}
