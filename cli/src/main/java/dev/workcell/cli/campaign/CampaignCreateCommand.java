package dev.workcell.cli.campaign;

import dev.workcell.cli.CliException;
import dev.workcell.cli.ExitCodes;
import dev.workcell.cli.connect.ConnectionOptions;
import dev.workcell.cli.connect.ControlPlane;
import dev.workcell.cli.output.Json;
import dev.workcell.cli.output.OutputOptions;
import dev.workcell.proto.v1.Campaign;
import dev.workcell.proto.v1.CreateCampaignRequest;
import dev.workcell.proto.v1.DeviceKind;
import dev.workcell.proto.v1.ReplayTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** workcell campaign create: subjects × device kinds, run later with campaign run. */
@Command(name = "create", description = "Create a campaign: each subject traced on each device kind once it is run.")
public class CampaignCreateCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Mixin
    OutputOptions output;

    @Option(names = "--name", required = true, description = "Unique name, e.g. nightly.")
    String name;

    @Option(
            names = "--subject",
            required = true,
            paramLabel = "SUBJECT_ID",
            description = "A subject (repeatable; workcell subject list).")
    List<String> subjects = new ArrayList<>();

    @Option(
            names = "--kind",
            required = true,
            paramLabel = "NAME:KEY=VALUE[;KEY=VALUE]",
            description = "A device kind (repeatable): its name in the grid and the dimensions its traces ask for,"
                    + " e.g. --kind 'pixel:model=pixel 8' --kind 'x86:os=android;abi=x86_64'.")
    List<String> kinds = new ArrayList<>();

    @Option(
            names = "--replay-on",
            paramLabel = "HOST|DEVICE",
            description = "Where each successful trace is replayed (repeatable);"
                    + " default: by the subject's API (gles: HOST, vulkan: DEVICE).")
    List<ReplayTarget> replayOn = new ArrayList<>();

    @Override
    public Integer call() {
        CreateCampaignRequest.Builder request = CreateCampaignRequest.newBuilder()
                .setName(name)
                .addAllSubjectIds(subjects)
                .addAllReplayOn(replayOn);
        kinds.forEach(kind -> request.addKinds(kind(kind)));
        Campaign campaign;
        try (ControlPlane controlPlane = connection.open()) {
            campaign = controlPlane.campaigns().createCampaign(request.build());
        }
        output.print(
                System.out,
                Json.tree(campaign),
                List.of(Json.tree(campaign)),
                out -> out.println("created campaign " + campaign.getId()
                        + " (" + campaign.getName() + "): " + campaign.getSubjectIdsCount() + " subjects × "
                        + campaign.getKindsCount()
                        + " kinds; run it with: workcell campaign run " + campaign.getId()));
        return 0;
    }

    /** "pixel:model=pixel 8;os=android" as a device kind. */
    static DeviceKind kind(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new CliException(
                    ExitCodes.USAGE, "--kind '" + text + "': NAME:KEY=VALUE[;KEY=VALUE], e.g. 'pixel:model=pixel 8'");
        }
        DeviceKind.Builder kind = DeviceKind.newBuilder().setName(text.substring(0, colon));
        for (String dimension : text.substring(colon + 1).split(";")) {
            int equals = dimension.indexOf('=');
            if (equals <= 0) {
                throw new CliException(ExitCodes.USAGE, "--kind '" + text + "': '" + dimension + "' is not KEY=VALUE");
            }
            kind.putDimensions(
                    dimension.substring(0, equals).strip(),
                    dimension.substring(equals + 1).strip());
        }
        return kind.build();
    }
}
