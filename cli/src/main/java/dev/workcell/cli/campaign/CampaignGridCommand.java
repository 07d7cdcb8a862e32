package dev.workcell.cli.campaign;

import dev.workcell.cli.connect.ConnectionOptions;
import dev.workcell.cli.connect.ControlPlane;
import dev.workcell.cli.output.Json;
import dev.workcell.cli.output.OutputOptions;
import dev.workcell.cli.output.Table;
import dev.workcell.proto.v1.CampaignGrid;
import dev.workcell.proto.v1.CampaignGridCell;
import dev.workcell.proto.v1.CampaignGridLine;
import dev.workcell.proto.v1.CampaignGridRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** workcell campaign grid: the campaign's cells, each the latest status and its actions by status. */
@Command(
        name = "grid",
        description = "A campaign's grid: each cell the status of its latest action and its actions by status.")
public class CampaignGridCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Mixin
    OutputOptions output;

    @Parameters(paramLabel = "CAMPAIGN_ID", description = "The campaign's id.")
    String id;

    @Option(
            names = "--rows",
            paramLabel = "AXIS",
            defaultValue = "subject",
            description = "subject, model, operation or label. Default: ${DEFAULT-VALUE}.")
    String rows;

    @Option(
            names = "--cols",
            paramLabel = "AXIS",
            defaultValue = "operation",
            description = "subject, model, operation or label. Default: ${DEFAULT-VALUE}.")
    String cols;

    @Option(names = "--label-key", paramLabel = "KEY", description = "The subject label the label axis groups by.")
    String labelKey;

    @Override
    public Integer call() {
        CampaignGrid grid;
        try (ControlPlane controlPlane = connection.open()) {
            grid = controlPlane
                    .campaigns()
                    .grid(CampaignGridRequest.newBuilder()
                            .setId(id)
                            .setRows(rows)
                            .setCols(cols)
                            .setLabelKey(labelKey == null ? "" : labelKey)
                            .build());
        }
        output.print(
                System.out,
                Json.tree(grid),
                grid.getCellsList().stream().map(Json::tree).toList(),
                out -> table(grid).print(out));
        return 0;
    }

    private static Table table(CampaignGrid grid) {
        List<String> headers = new ArrayList<>(List.of((grid.getRows() + " \\ " + grid.getCols()).toUpperCase()));
        grid.getColumnLinesList().forEach(column -> headers.add(column.getLabel()));
        Table table = new Table(headers.toArray(String[]::new));
        Map<String, CampaignGridCell> cells = new HashMap<>();
        grid.getCellsList().forEach(cell -> cells.put(cell.getRow() + "\n" + cell.getColumn(), cell));
        for (CampaignGridLine row : grid.getRowLinesList()) {
            List<String> line = new ArrayList<>(List.of(row.getLabel()));
            for (CampaignGridLine column : grid.getColumnLinesList()) {
                CampaignGridCell cell = cells.get(row.getKey() + "\n" + column.getKey());
                line.add(cell == null ? "" : cell.getLatest() + " (" + counts(cell) + ")");
            }
            table.row(line.toArray(String[]::new));
        }
        return table;
    }

    /** A cell's actions by status: "2 succeeded, 1 failed". */
    static String counts(CampaignGridCell cell) {
        return cell.getCountsMap().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(entry -> entry.getValue() + " " + entry.getKey().toLowerCase())
                .collect(Collectors.joining(", "));
    }
}
