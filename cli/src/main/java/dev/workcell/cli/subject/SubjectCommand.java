package dev.workcell.cli.subject;

import picocli.CommandLine.Command;

/** workcell subject: the packages under test that campaigns trace. */
@Command(
        name = "subject",
        description =
                "Create, list and delete subjects: packages under test (an uploaded artifact) that campaigns trace.",
        subcommands = {SubjectCreateCommand.class, SubjectListCommand.class, SubjectDeleteCommand.class})
public class SubjectCommand {}
