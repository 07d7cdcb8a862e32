package dev.workcell.agent.task;

import java.time.Duration;
import java.util.List;

/**
 * How a configured operation runs: argv templates, the template of the file it produces (empty
 * when it reports none), the output strings that make a failure retryable, and its timeout.
 */
public record CommandTemplate(List<String> argv, String output, List<String> retryStrings, Duration timeout) {

    public CommandTemplate {
        argv = List.copyOf(argv);
        retryStrings = List.copyOf(retryStrings);
    }
}
