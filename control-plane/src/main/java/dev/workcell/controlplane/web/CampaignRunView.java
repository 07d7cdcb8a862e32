package dev.workcell.controlplane.web;

import dev.workcell.proto.v1.RunCampaignResponse;
import java.util.List;

/**
 * What a run of the campaign did, as the Run button shows it. The page's address carries the counts
 * (a new row or column lays the grid out again with a reload), the refusals themselves are listed
 * until then.
 */
public record CampaignRunView(int run, int created, int kept, int refusedCount, List<String> refused) {

    static CampaignRunView of(RunCampaignResponse run) {
        return new CampaignRunView(
                run.getCampaign().getRuns(),
                run.getCreated(),
                run.getKept(),
                run.getRefusedCount(),
                run.getRefusedList());
    }

    /** The run the page's address names; null when it names none. */
    static CampaignRunView of(Integer run, Integer created, Integer kept, Integer refused) {
        if (run == null || created == null || kept == null) {
            return null;
        }
        return new CampaignRunView(run, created, kept, refused == null ? 0 : refused, List.of());
    }

    /** The page's address with this run in it. */
    Links on(Links page) {
        return page.with("ran", Integer.toString(run))
                .with("created", Integer.toString(created))
                .with("kept", Integer.toString(kept))
                .with("refused", Integer.toString(refusedCount));
    }
}
