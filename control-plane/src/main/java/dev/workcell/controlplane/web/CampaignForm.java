package dev.workcell.controlplane.web;

import dev.workcell.controlplane.errors.InvalidRequestException;
import dev.workcell.proto.v1.CreateCampaignRequest;
import dev.workcell.proto.v1.DeviceKind;
import dev.workcell.proto.v1.ReplayTarget;
import java.util.List;

/**
 * The Campaigns view's create form as a create request: checked subjects, one device kind a line
 * ({@code pixel: model=pixel 8; os=android}, as {@code workcell campaign create --kind} takes it),
 * and the checked replay targets. The server checks the request as it checks the API's.
 */
record CampaignForm(String name, List<String> subjects, String kinds, List<String> replayOn) {

    CreateCampaignRequest request() {
        CreateCampaignRequest.Builder request = CreateCampaignRequest.newBuilder()
                .setName(name == null ? "" : name)
                .addAllSubjectIds(subjects == null ? List.of() : subjects);
        List<String> lines = kinds == null
                ? List.of()
                : kinds.lines()
                        .map(String::strip)
                        .filter(line -> !line.isEmpty())
                        .toList();
        for (int i = 0; i < lines.size(); i++) {
            request.addKinds(kind("kinds[" + i + "]", lines.get(i)));
        }
        for (String target : replayOn == null ? List.<String>of() : replayOn) {
            try {
                request.addReplayOn(ReplayTarget.valueOf(target));
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("replay_on", "HOST or DEVICE, got '" + target + "'");
            }
        }
        return request.build();
    }

    private static DeviceKind kind(String field, String line) {
        int colon = line.indexOf(':');
        if (colon <= 0) {
            throw new InvalidRequestException(field, "a line 'name: key=value; key=value', got '" + line + "'");
        }
        DeviceKind.Builder kind =
                DeviceKind.newBuilder().setName(line.substring(0, colon).strip());
        for (String dimension : line.substring(colon + 1).split(";")) {
            int equals = dimension.indexOf('=');
            if (equals <= 0) {
                throw new InvalidRequestException(field, "'" + dimension.strip() + "' is not key=value");
            }
            kind.putDimensions(
                    dimension.substring(0, equals).strip(),
                    dimension.substring(equals + 1).strip());
        }
        return kind.build();
    }
}
