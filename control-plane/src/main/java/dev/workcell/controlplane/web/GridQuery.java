package dev.workcell.controlplane.web;

import dev.workcell.controlplane.errors.InvalidRequestException;
import dev.workcell.proto.v1.Action;

/** The Grid view's URL: which axis forms the rows and which the columns. */
public record GridQuery(GridAxis rows, GridAxis columns) {

    static GridQuery parse(String rows, String columns) {
        GridQuery query = new GridQuery(
                GridAxis.parse("rows", rows, GridAxis.TARGET), GridAxis.parse("cols", columns, GridAxis.OPERATION));
        if (query.rows == query.columns) {
            throw new InvalidRequestException(
                    "cols", "rows and columns must be two different axes, both are " + query.rows.param());
        }
        return query;
    }

    /** The Actions view filtered to one cell. */
    public String actionsOf(GridCells.Cell cell) {
        return Links.of("/actions")
                .with(rows.filter, cell.rowKey())
                .with(columns.filter, cell.columnKey())
                .toString();
    }

    /** The live stream of this grid's changed cells, following the snapshot the page was counted after. */
    public String live(String resumeToken, long sinceSeq) {
        return Links.of("/grid/live")
                .with("rows", rows.param())
                .with("cols", columns.param())
                .with("since", Long.toString(sinceSeq))
                .with("resumeToken", resumeToken)
                .toString();
    }

    String rowKey(Action action) {
        return rows.key.apply(action);
    }

    String columnKey(Action action) {
        return columns.key.apply(action);
    }
}
