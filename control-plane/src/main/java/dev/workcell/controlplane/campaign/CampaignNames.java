package dev.workcell.controlplane.campaign;

import dev.workcell.controlplane.errors.InvalidRequestException;
import java.util.Map;
import java.util.regex.Pattern;

/** The checks shared by subject and campaign fields: names, labels. */
final class CampaignNames {

    static final int MAX_NAME = 200;
    static final int MAX_LABELS = 20;
    static final int MAX_LABEL_VALUE = 200;
    private static final Pattern LABEL_KEY = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

    private CampaignNames() {}

    static String name(String field, String name) {
        if (name == null || name.isBlank()) {
            throw new InvalidRequestException(field, "required");
        }
        if (name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidRequestException(field, "1 to " + MAX_NAME + " characters, no control characters");
        }
        return name.strip();
    }

    static Map<String, String> labels(String field, Map<String, String> labels) {
        if (labels.size() > MAX_LABELS) {
            throw new InvalidRequestException(field, "at most " + MAX_LABELS + " labels, got " + labels.size());
        }
        labels.forEach((key, value) -> {
            if (!LABEL_KEY.matcher(key).matches()) {
                throw new InvalidRequestException(
                        field + "." + key, "a label key is 1 to 64 of a-z 0-9 _ . - (starting with a letter or digit)");
            }
            if (value.isEmpty()
                    || value.length() > MAX_LABEL_VALUE
                    || value.chars().anyMatch(Character::isISOControl)) {
                throw new InvalidRequestException(
                        field + "." + key, "1 to " + MAX_LABEL_VALUE + " characters, no control characters");
            }
        });
        return labels;
    }
}
