package dev.workcell.operator.common;

import dev.workcell.operator.common.PodReferences.Kind;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A SHA-256 over the data of every Secret and ConfigMap a pod template references, put in the
 * template's annotations: when a referenced object changes (a rotated password or certificate)
 * the template changes and the Deployment rolls its pods. Only the hash is written, never a value.
 */
public final class ConfigHash {

    public static final String ANNOTATION = "workcell.dev/config-hash";

    private ConfigHash() {}

    public static String of(PodReferences references, ConfigSource source) {
        MessageDigest digest = sha256();
        for (Kind kind : Kind.values()) {
            for (String name : references.names(kind)) {
                update(digest, kind + "/" + framed(name));
                Optional<Map<String, String>> data = source.data(kind, name);
                if (data.isEmpty()) {
                    update(digest, "absent;");
                    continue;
                }
                new TreeMap<>(data.get()).forEach((key, value) -> update(digest, framed(key) + framed(value)));
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Length-prefixed, so that no two different maps hash the same text. */
    private static String framed(String text) {
        return text.length() + ":" + text;
    }

    private static void update(MessageDigest digest, String text) {
        digest.update(text.getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
