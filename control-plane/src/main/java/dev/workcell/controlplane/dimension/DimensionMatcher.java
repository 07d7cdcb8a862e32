package dev.workcell.controlplane.dimension;

import dev.workcell.controlplane.errors.InvalidRequestException;
import dev.workcell.controlplane.validation.TextFields;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The dimensions a slice asks for, parsed once, and whether a device's dimensions meet them. For
 * every key, one of the device's values for it must satisfy the constraint:
 * <ul>
 *   <li>{@code android}: that value;</li>
 *   <li>{@code arm64-v8a|x86_64}: one of these (each may also be a prefix);</li>
 *   <li>{@code >=33}, {@code >33}, {@code <=34}, {@code <34}: a number compared with it;</li>
 *   <li>{@code adreno*}: a value that starts with it.</li>
 * </ul>
 * Keys and values compare case-insensitively.
 */
public final class DimensionMatcher {

    static final int MAX_KEYS = 32;
    static final int MAX_LENGTH = 256;
    private static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9_.:/-]{0,63}");

    /** What one key's values must satisfy. */
    sealed interface Constraint {
        boolean accepts(String value);
    }

    record Exact(String value) implements Constraint {
        public boolean accepts(String candidate) {
            return candidate.equals(value);
        }
    }

    record Prefix(String prefix) implements Constraint {
        public boolean accepts(String candidate) {
            return candidate.startsWith(prefix);
        }
    }

    record OneOf(List<Constraint> alternatives) implements Constraint {
        public boolean accepts(String candidate) {
            return alternatives.stream().anyMatch(alternative -> alternative.accepts(candidate));
        }
    }

    record Compare(String operator, BigDecimal bound) implements Constraint {
        public boolean accepts(String candidate) {
            BigDecimal number;
            try {
                number = new BigDecimal(candidate);
            } catch (NumberFormatException notANumber) {
                return false;
            }
            int order = number.compareTo(bound);
            return switch (operator) {
                case ">=" -> order >= 0;
                case ">" -> order > 0;
                case "<=" -> order <= 0;
                default -> order < 0;
            };
        }
    }

    private final SortedMap<String, String> spec;
    private final Map<String, Constraint> constraints;

    private DimensionMatcher(SortedMap<String, String> spec, Map<String, Constraint> constraints) {
        this.spec = spec;
        this.constraints = constraints;
    }

    /**
     * Parses a slice's dimensions; a problem is an {@link InvalidRequestException} naming
     * {@code field.key} (e.g. {@code dimensions.sdk}).
     */
    public static DimensionMatcher parse(Map<String, String> dimensions, String field) {
        if (dimensions.isEmpty()) {
            throw new InvalidRequestException(field, "required: at least one dimension, e.g. {\"os\": \"android\"}");
        }
        if (dimensions.size() > MAX_KEYS) {
            throw new InvalidRequestException(field, "at most " + MAX_KEYS + " dimensions");
        }
        SortedMap<String, String> spec = new TreeMap<>();
        Map<String, Constraint> constraints = new TreeMap<>();
        dimensions.forEach((rawKey, rawValue) -> {
            String key = rawKey.trim().toLowerCase(Locale.ROOT);
            String keyField = field + "." + rawKey;
            TextFields.check(keyField, rawKey, MAX_LENGTH);
            if (!KEY.matcher(key).matches()) {
                throw new InvalidRequestException(
                        keyField,
                        "a dimension key is 1 to 64 letters, digits and _ . : / -,"
                                + " starting with a letter or digit");
            }
            String value =
                    TextFields.check(keyField, rawValue, MAX_LENGTH).trim().toLowerCase(Locale.ROOT);
            if (spec.put(key, value) != null) {
                throw new InvalidRequestException(keyField, "given twice (keys compare case-insensitively)");
            }
            constraints.put(key, constraint(keyField, value));
        });
        return new DimensionMatcher(spec, constraints);
    }

    /** Rebuilds a matcher from a spec this class produced (a stored dimension set). */
    public static DimensionMatcher ofSpec(Map<String, String> spec) {
        return parse(spec, "spec");
    }

    private static Constraint constraint(String field, String value) {
        if (value.isEmpty()) {
            throw new InvalidRequestException(field, "empty; give a value, a set a|b, a comparison >=N or a prefix p*");
        }
        for (String operator : List.of(">=", "<=", ">", "<")) {
            if (value.startsWith(operator)) {
                String number = value.substring(operator.length()).trim();
                try {
                    return new Compare(operator, new BigDecimal(number));
                } catch (NumberFormatException notANumber) {
                    throw new InvalidRequestException(
                            field, "'" + value + "': " + operator + " needs a number, got '" + number + "'");
                }
            }
        }
        List<String> alternatives =
                Arrays.stream(value.split("\\|", -1)).map(String::trim).toList();
        if (alternatives.size() == 1) {
            return alternative(field, value, alternatives.get(0));
        }
        return new OneOf(alternatives.stream()
                .map(alternative -> alternative(field, value, alternative))
                .toList());
    }

    private static Constraint alternative(String field, String value, String alternative) {
        if (alternative.isEmpty()) {
            throw new InvalidRequestException(field, "'" + value + "': empty alternative in a set a|b");
        }
        if (alternative.startsWith(">") || alternative.startsWith("<")) {
            throw new InvalidRequestException(
                    field, "'" + value + "': a comparison cannot be one alternative of a set");
        }
        int star = alternative.indexOf('*');
        if (star < 0) {
            return new Exact(alternative);
        }
        if (star != alternative.length() - 1) {
            throw new InvalidRequestException(field, "'" + value + "': * may only end a prefix, e.g. adreno*");
        }
        if (star == 0) {
            throw new InvalidRequestException(
                    field, "'" + value + "': * alone matches anything; leave the dimension out");
        }
        return new Prefix(alternative.substring(0, star));
    }

    /** Whether a device with these dimensions (key → its values, lowercase keys) meets every constraint. */
    public boolean matches(Map<String, ? extends Collection<String>> device) {
        return constraints.entrySet().stream()
                .allMatch(entry -> satisfied(entry.getValue(), device.get(entry.getKey())));
    }

    /**
     * The first key whose constraint none of the known values meets (key → every value a device
     * ever had for it): a slice that no device could ever have served.
     */
    public Optional<String> unmetBy(Map<String, ? extends Collection<String>> known) {
        return constraints.entrySet().stream()
                .filter(entry -> !satisfied(entry.getValue(), known.get(entry.getKey())))
                .map(Map.Entry::getKey)
                .findFirst();
    }

    private static boolean satisfied(Constraint constraint, Collection<String> values) {
        return values != null && values.stream().anyMatch(value -> constraint.accepts(value.toLowerCase(Locale.ROOT)));
    }

    /** The keys asked for. */
    public java.util.Set<String> keys() {
        return spec.keySet();
    }

    /** The constraints in their canonical form (lowercase, trimmed, sorted by key): equal specs are the same dimension set. */
    public SortedMap<String, String> spec() {
        return spec;
    }

    @Override
    public String toString() {
        return spec.toString();
    }
}
