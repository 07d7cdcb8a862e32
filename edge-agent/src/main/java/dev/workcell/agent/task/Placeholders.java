package dev.workcell.agent.task;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills the {name} and {params.KEY} placeholders of a template; any other text, e.g. "{ x }" or
 * "$HOME", is left as it is, and an unknown placeholder is an error that names it.
 */
final class Placeholders {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*(?:\\.[^{}\\s]+)?)}");

    private final Map<String, String> values;
    private final String templateName;

    /**
     * @param values value of each placeholder name
     * @param templateName which template is filled, for errors, e.g. "TRACE command"
     */
    Placeholders(Map<String, String> values, String templateName) {
        this.values = new TreeMap<>(values);
        this.templateName = templateName;
    }

    /** The template with every placeholder replaced by its value. */
    String fill(String template) {
        return PLACEHOLDER.matcher(template).replaceAll(match -> Matcher.quoteReplacement(valueOf(match.group(1))));
    }

    private String valueOf(String name) {
        String value = values.get(name);
        if (value == null) {
            throw new InvalidTaskException("unknown placeholder {" + name + "} in the " + templateName
                    + " template; known: " + values.keySet());
        }
        return value;
    }
}
