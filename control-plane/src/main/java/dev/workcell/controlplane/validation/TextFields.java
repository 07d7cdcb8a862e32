package dev.workcell.controlplane.validation;

import com.google.protobuf.Descriptors;
import com.google.protobuf.Message;
import dev.workcell.controlplane.errors.InvalidRequestException;
import java.util.List;
import java.util.Map;

/**
 * Text a caller sends that the ledger stores or searches: each field has a length limit, and
 * PostgreSQL text cannot hold NUL, so a request with one is refused rather than failing in the
 * database.
 */
public final class TextFields {

    private TextFields() {}

    public static String check(String field, String value, int maxLength) {
        if (value.length() > maxLength) {
            throw new InvalidRequestException(field, "longer than " + maxLength + " characters");
        }
        if (value.indexOf('\0') >= 0) {
            throw new InvalidRequestException(field, "contains a NUL character");
        }
        return value;
    }

    /**
     * Refuses a NUL in any text of a message (strings, repeated strings, map keys and values, nested
     * messages), naming the first such field, e.g. {@code input.exec.argv[1]} or {@code input.exec.env["PATH"]}:
     * a program argument or environment string cannot hold one, so the task could only fail.
     */
    public static void checkNoNul(String path, Message message) {
        for (Map.Entry<Descriptors.FieldDescriptor, Object> field :
                message.getAllFields().entrySet()) {
            String name = path + "." + field.getKey().getName();
            if (field.getKey().isMapField()) {
                for (Object entry : (List<?>) field.getValue()) {
                    Message pair = (Message) entry;
                    Object key = pair.getField(pair.getDescriptorForType().findFieldByName("key"));
                    String entryName = name + "[\"" + String.valueOf(key).replace("\0", "\\0") + "\"]";
                    checkValue(entryName, key);
                    checkValue(
                            entryName, pair.getField(pair.getDescriptorForType().findFieldByName("value")));
                }
            } else if (field.getKey().isRepeated()) {
                List<?> values = (List<?>) field.getValue();
                for (int i = 0; i < values.size(); i++) {
                    checkValue(name + "[" + i + "]", values.get(i));
                }
            } else {
                checkValue(name, field.getValue());
            }
        }
    }

    private static void checkValue(String name, Object value) {
        if (value instanceof String text && text.indexOf('\0') >= 0) {
            throw new InvalidRequestException(name, "contains a NUL character");
        }
        if (value instanceof Message nested) {
            checkNoNul(name, nested);
        }
    }

    /** Text an agent reports (an error message): kept, with any NUL replaced. */
    public static String storable(String value) {
        return value.replace('\0', '\uFFFD');
    }
}
