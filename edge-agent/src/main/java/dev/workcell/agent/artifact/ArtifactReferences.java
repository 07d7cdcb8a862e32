package dev.workcell.agent.artifact;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.Map;

/** Replaces every "artifact:&lt;sha256&gt;" in the text fields of a message (lists and maps included) with a local path. */
final class ArtifactReferences {

    static final String PREFIX = "artifact:";

    private ArtifactReferences() {}

    /**
     * @param paths local path of each artifact, by SHA-256
     */
    @SuppressWarnings("unchecked")
    static <M extends Message> M localize(M message, Map<String, String> paths) {
        Message.Builder builder = message.toBuilder();
        for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
            FieldDescriptor descriptor = field.getKey();
            if (descriptor.isRepeated()) {
                for (int i = 0; i < message.getRepeatedFieldCount(descriptor); i++) {
                    builder.setRepeatedField(descriptor, i, localized(message.getRepeatedField(descriptor, i), paths));
                }
            } else {
                builder.setField(descriptor, localized(field.getValue(), paths));
            }
        }
        return (M) builder.build();
    }

    private static Object localized(Object value, Map<String, String> paths) {
        if (value instanceof String text) {
            for (Map.Entry<String, String> path : paths.entrySet()) {
                text = text.replace(PREFIX + path.getKey(), path.getValue());
            }
            return text;
        }
        return value instanceof Message message ? localize(message, paths) : value;
    }
}
