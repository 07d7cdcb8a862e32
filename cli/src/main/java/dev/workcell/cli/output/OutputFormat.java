package dev.workcell.cli.output;

/** How a command prints: a table for people, JSON (the API's answer) or JSON lines (one item a line) for scripts. */
public enum OutputFormat {
    TABLE,
    JSON,
    JSONL
}
