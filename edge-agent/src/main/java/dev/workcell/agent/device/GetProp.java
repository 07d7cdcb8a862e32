package dev.workcell.agent.device;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the output of Android's {@code getprop}: one "[key]: [value]" per property, a value possibly spanning lines. */
final class GetProp {

    private static final Pattern PROPERTY = Pattern.compile("^\\[([^\\]]*)\\]: \\[(.*)$");

    private GetProp() {}

    static Map<String, String> parse(List<String> output) {
        Map<String, String> properties = new LinkedHashMap<>();
        String key = null;
        StringBuilder value = new StringBuilder();
        for (String line : output) {
            Matcher property = key == null ? PROPERTY.matcher(line) : null;
            if (property != null && property.matches()) {
                key = property.group(1);
                value.setLength(0);
                line = property.group(2);
            } else if (key == null) {
                continue;
            } else {
                value.append('\n');
            }
            if (line.endsWith("]")) {
                properties.put(key, value.append(line, 0, line.length() - 1).toString());
                key = null;
            } else {
                value.append(line);
            }
        }
        return properties;
    }
}
