package dev.workcell.operator.common;

import dev.workcell.operator.common.PodReferences.Kind;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the data of Secrets and ConfigMaps (values as stored: base64 for Secrets, text for
 * ConfigMaps), from the operator's informer caches in the reconciler and from plain maps in tests.
 */
@FunctionalInterface
public interface ConfigSource {

    /** The object's data, or empty when it does not exist. */
    Optional<Map<String, String>> data(Kind kind, String name);
}
