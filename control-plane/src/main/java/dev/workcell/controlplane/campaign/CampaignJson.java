package dev.workcell.controlplane.campaign;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workcell.proto.v1.DeviceKind;
import dev.workcell.proto.v1.ReplayTarget;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The JSON columns of subjects and campaigns (labels, subject ids, kinds, replay targets), written and read. */
final class CampaignJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CampaignJson() {}

    /** A device kind as stored. */
    record Kind(String name, Map<String, String> dimensions) {

        static Kind of(DeviceKind kind) {
            return new Kind(kind.getName(), new TreeMap<>(kind.getDimensionsMap()));
        }

        DeviceKind proto() {
            return DeviceKind.newBuilder()
                    .setName(name)
                    .putAllDimensions(dimensions)
                    .build();
        }
    }

    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("maps, lists and records of strings always serialise", e);
        }
    }

    static Map<String, String> labels(String json) {
        return read(json, new TypeReference<TreeMap<String, String>>() {});
    }

    static List<String> strings(String json) {
        return read(json, new TypeReference<List<String>>() {});
    }

    static List<Kind> kinds(String json) {
        return read(json, new TypeReference<List<Kind>>() {});
    }

    static List<ReplayTarget> replayTargets(String json) {
        return strings(json).stream().map(ReplayTarget::valueOf).toList();
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a campaign column holds JSON Workcell wrote: " + json, e);
        }
    }
}
