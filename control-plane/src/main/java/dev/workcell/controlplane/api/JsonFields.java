package dev.workcell.controlplane.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import dev.workcell.controlplane.errors.InvalidRequestException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Checks a JSON request field by field before protobuf's parser sees it, so that each problem names
 * its field (as {@code input.exec.timeout_seconds}): enum values are accepted in any case and become
 * the proto's upper-case names, an unknown one is refused with the values it may take; integers must
 * be whole and in their type's range; and, for a body that was not valid UTF-8, the text that held
 * the invalid bytes (decoded as U+FFFD) is named.
 */
final class JsonFields {

    private static final char REPLACEMENT = '\uFFFD';

    private final boolean invalidUtf8;

    private JsonFields(boolean invalidUtf8) {
        this.invalidUtf8 = invalidUtf8;
    }

    /** Normalises enum values in place; throws naming the first field that cannot be right. */
    static void check(JsonNode body, Descriptor type, boolean invalidUtf8) {
        if (body.isObject()) {
            new JsonFields(invalidUtf8).object("", (ObjectNode) body, type);
        }
    }

    private void object(String path, ObjectNode object, Descriptor type) {
        for (Iterator<Map.Entry<String, JsonNode>> members = object.fields(); members.hasNext(); ) {
            Map.Entry<String, JsonNode> member = members.next();
            FieldDescriptor field = fieldOf(type, member.getKey());
            String name = path + (field == null ? member.getKey() : field.getName());
            text(name, member.getKey());
            if (field == null) {
                continue; // protobuf's parser refuses it, naming it
            }
            if (field.isMapField() && member.getValue().isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> entries =
                                member.getValue().fields();
                        entries.hasNext(); ) {
                    Map.Entry<String, JsonNode> entry = entries.next();
                    text(name, entry.getKey());
                    entry.setValue(
                            value(name, entry.getValue(), field.getMessageType().findFieldByName("value")));
                }
            } else if (field.isRepeated() && member.getValue().isArray()) {
                ArrayNode values = (ArrayNode) member.getValue();
                for (int i = 0; i < values.size(); i++) {
                    values.set(i, value(name, values.get(i), field));
                }
            } else {
                member.setValue(value(name, member.getValue(), field));
            }
        }
    }

    private JsonNode value(String name, JsonNode value, FieldDescriptor field) {
        if (value.isObject() && field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
            object(name + ".", (ObjectNode) value, field.getMessageType());
            return value;
        }
        if (!value.isValueNode() || value.isNull()) {
            return value;
        }
        return switch (field.getJavaType()) {
            case ENUM -> value.isTextual() ? enumValue(name, value.asText(), field.getEnumType()) : value;
            case INT, LONG -> {
                integer(name, value.asText(), field);
                yield value;
            }
            case STRING -> {
                text(name, value.asText());
                yield value;
            }
            default -> value;
        };
    }

    private static TextNode enumValue(String name, String given, EnumDescriptor type) {
        for (EnumValueDescriptor candidate : type.getValues()) {
            if (candidate.getName().equalsIgnoreCase(given.trim())) {
                return new TextNode(candidate.getName());
            }
        }
        throw new InvalidRequestException(
                name, "unknown value '" + abbreviate(given) + "' (one of " + namesOf(type) + ")");
    }

    private static void integer(String name, String given, FieldDescriptor field) {
        BigInteger number;
        try {
            number = new BigDecimal(given.trim()).toBigIntegerExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new InvalidRequestException(name, "'" + abbreviate(given) + "' is not a whole number");
        }
        boolean unsigned = field.getType() == FieldDescriptor.Type.UINT32
                || field.getType() == FieldDescriptor.Type.UINT64
                || field.getType() == FieldDescriptor.Type.FIXED32
                || field.getType() == FieldDescriptor.Type.FIXED64;
        int bits = field.getJavaType() == FieldDescriptor.JavaType.INT ? 32 : 64;
        BigInteger min =
                unsigned ? BigInteger.ZERO : BigInteger.TWO.pow(bits - 1).negate();
        BigInteger max = unsigned
                ? BigInteger.TWO.pow(bits).subtract(BigInteger.ONE)
                : BigInteger.TWO.pow(bits - 1).subtract(BigInteger.ONE);
        if (number.compareTo(min) < 0 || number.compareTo(max) > 0) {
            throw new InvalidRequestException(name, number + " is out of range (" + min + " to " + max + ")");
        }
    }

    private void text(String name, String value) {
        if (invalidUtf8 && value.indexOf(REPLACEMENT) >= 0) {
            throw new InvalidRequestException(name, "is not valid UTF-8 (the body must be UTF-8 text)");
        }
    }

    private static FieldDescriptor fieldOf(Descriptor type, String jsonName) {
        FieldDescriptor byName = type.findFieldByName(jsonName);
        return byName != null
                ? byName
                : type.getFields().stream()
                        .filter(field -> field.getJsonName().equals(jsonName))
                        .findFirst()
                        .orElse(null);
    }

    private static String namesOf(EnumDescriptor type) {
        return type.getValues().stream()
                .map(EnumValueDescriptor::getName)
                .filter(value -> !value.endsWith("_UNSPECIFIED"))
                .collect(Collectors.joining(", "));
    }

    private static String abbreviate(String value) {
        return value.length() <= 64 ? value : value.substring(0, 64) + "…";
    }
}
