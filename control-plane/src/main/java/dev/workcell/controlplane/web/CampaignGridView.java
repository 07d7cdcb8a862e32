package dev.workcell.controlplane.web;

import dev.workcell.controlplane.campaign.CampaignGrids;
import dev.workcell.proto.v1.CampaignGrid;
import dev.workcell.proto.v1.CampaignGridCell;
import dev.workcell.proto.v1.CampaignGridLine;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Collectors;

/** A campaign's grid as the Campaign page shows it: its axes, its cells by (row, column), the links of a cell. */
public record CampaignGridView(
        String campaignId, CampaignGrids.Axes axes, CampaignGrid grid, Map<String, CampaignGridCell> cells) {

    static CampaignGridView of(String campaignId, CampaignGrids.Axes axes, CampaignGrid grid) {
        Map<String, CampaignGridCell> cells = new HashMap<>();
        grid.getCellsList().forEach(cell -> cells.put(cell.getRow() + "\n" + cell.getColumn(), cell));
        return new CampaignGridView(campaignId, axes, grid, cells);
    }

    public CampaignGridCell cell(CampaignGridLine row, CampaignGridLine column) {
        return cells.getOrDefault(
                row.getKey() + "\n" + column.getKey(),
                CampaignGridCell.newBuilder()
                        .setRow(row.getKey())
                        .setColumn(column.getKey())
                        .build());
    }

    /** The element id of a cell: stable for its row and column, whatever characters their keys hold. */
    public String cellId(CampaignGridCell cell) {
        return "cell-"
                + HexFormat.of().formatHex((cell.getRow() + "\n" + cell.getColumn()).getBytes(StandardCharsets.UTF_8));
    }

    /** What a cell shows: the latest status, and its actions by status. */
    public String counts(CampaignGridCell cell) {
        return cell.getCountsMap().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(entry -> entry.getValue() + " " + entry.getKey().toLowerCase())
                .collect(Collectors.joining(", "));
    }

    /** The Campaign page with a cell's actions listed under the grid. */
    public String open(CampaignGridCell cell) {
        return page().with("row", cell.getRow()).with("col", cell.getColumn()).toString() + "#cell-actions";
    }

    public String live() {
        return Links.of("/campaigns/" + campaignId + "/live")
                .with("rows", axes.rows().param())
                .with("cols", axes.columns().param())
                .with("labelKey", axes.labelKey())
                .toString();
    }

    /** The Campaign page after a run, showing what it did. */
    public String after(CampaignRunView run) {
        return run.on(page()).toString();
    }

    private Links page() {
        return Links.of("/campaigns/" + campaignId)
                .with("rows", axes.rows().param())
                .with("cols", axes.columns().param())
                .with("labelKey", axes.labelKey());
    }
}
