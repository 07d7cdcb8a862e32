package dev.workcell.controlplane.web;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The grid's figures, counted in PostgreSQL over the latest actions (a bounded number): per (row,
 * column) the number of actions and the status of the latest one, for the rows and columns with the
 * most recent actions, at most a bounded number of each. A cell counted again reads the grid indexes (V13).
 */
@ApplicationScoped
public class GridCells {

    /** One cell: how many actions it holds, and the status of the latest (empty when it holds none). */
    public record Cell(String rowKey, String columnKey, long count, String status) {

        public String id() {
            return "cell-" + rowKey + "-" + columnKey;
        }
    }

    /** A row or a column: its key (a device id or an operation) and its name as people read it. */
    public record Line(String key, String label) {}

    /**
     * The grid as shown, and how many rows and columns the counted actions have in all (more than shown
     * when capped); the counted actions are the {@code counted} latest, from seq {@code sinceSeq} on.
     */
    public record Grid(
            List<Line> rows,
            List<Line> columns,
            Map<String, Cell> cells,
            long allRows,
            long allColumns,
            long sinceSeq,
            long counted) {

        public Cell cell(Line row, Line column) {
            return cells.getOrDefault(row.key() + "\n" + column.key(), new Cell(row.key(), column.key(), 0, ""));
        }

        public boolean isCapped() {
            return allRows > rows.size() || allColumns > columns.size();
        }
    }

    private final Pool pool;

    public GridCells(Pool pool) {
        this.pool = pool;
    }

    public Uni<Grid> grid(GridAxis rows, GridAxis columns, int maxRows, int maxColumns, int window) {
        return pool.preparedQuery(gridSql(rows, columns))
                .execute(Tuple.of(maxRows, maxColumns, window))
                .map(result -> {
                    Map<String, Cell> cells = new HashMap<>();
                    Map<String, Labelled> rowLines = new LinkedHashMap<>();
                    Map<String, Labelled> columnLines = new LinkedHashMap<>();
                    long allRows = 0;
                    long allColumns = 0;
                    long sinceSeq = 0;
                    long counted = 0;
                    for (Row row : result) {
                        Cell cell = new Cell(
                                row.getString("row_key"),
                                row.getString("col_key"),
                                row.getLong("n"),
                                row.getString("status"));
                        cells.put(cell.rowKey() + "\n" + cell.columnKey(), cell);
                        long seq = row.getLong("last_seq");
                        rowLines.merge(cell.rowKey(), new Labelled(row.getString("row_label"), seq), Labelled::latest);
                        columnLines.merge(
                                cell.columnKey(), new Labelled(row.getString("col_label"), seq), Labelled::latest);
                        allRows = row.getLong("all_rows");
                        allColumns = row.getLong("all_cols");
                        sinceSeq = row.getLong("since_seq");
                        counted = row.getLong("counted");
                    }
                    return new Grid(lines(rowLines), lines(columnLines), cells, allRows, allColumns, sinceSeq, counted);
                });
    }

    /**
     * The whole grid's query: $1 rows and $2 columns at most, counted over the latest $3 actions (read
     * backwards along the seq index, so the work is bounded whatever the ledger holds).
     */
    static String gridSql(GridAxis rows, GridAxis columns) {
        return """
                WITH recent AS (SELECT seq, %1$s AS row_key, %2$s AS col_key FROM actions ORDER BY seq DESC LIMIT $3),
                cells AS (SELECT row_key, col_key, count(*) AS n, max(seq) AS last_seq FROM recent GROUP BY 1, 2),
                all_rows AS (SELECT row_key, max(last_seq) AS last FROM cells GROUP BY row_key),
                all_cols AS (SELECT col_key, max(last_seq) AS last FROM cells GROUP BY col_key),
                top_rows AS (SELECT row_key FROM all_rows ORDER BY last DESC LIMIT $1),
                top_cols AS (SELECT col_key FROM all_cols ORDER BY last DESC LIMIT $2)
                SELECT c.row_key, c.col_key, c.n, c.last_seq, a.status, a.%3$s AS row_label, a.%4$s AS col_label,
                       (SELECT count(*) FROM all_rows) AS all_rows, (SELECT count(*) FROM all_cols) AS all_cols,
                       (SELECT min(seq) FROM recent) AS since_seq, (SELECT count(*) FROM recent) AS counted
                FROM cells c JOIN top_rows USING (row_key) JOIN top_cols USING (col_key) JOIN actions a ON a.seq = c.last_seq""".formatted(rows.keySql, columns.keySql, rows.labelSql, columns.labelSql);
    }

    /** One cell counted again as it is now, from the first action the page counted ({@code sinceSeq}). */
    public Uni<Cell> cell(GridAxis rows, GridAxis columns, String rowKey, String columnKey, long sinceSeq) {
        return pool.preparedQuery(cellSql(rows, columns))
                .execute(Tuple.of(rowKey, columnKey, sinceSeq))
                .map(result -> {
                    Row row = result.iterator().next();
                    String status = row.getString("status");
                    return new Cell(rowKey, columnKey, row.getLong("n"), status == null ? "" : status);
                });
    }

    /** One cell's query: the row's key is $1, the column's $2, counting from the action of seq $3 on. */
    static String cellSql(GridAxis rows, GridAxis columns) {
        String where = rows.keySql + " = $1 AND " + columns.keySql + " = $2 AND seq >= $3";
        return "SELECT count(*) AS n, (SELECT status FROM actions WHERE " + where
                + " ORDER BY seq DESC LIMIT 1) AS status" + " FROM actions WHERE " + where;
    }

    /** A line's name as its latest action gave it. */
    private record Labelled(String label, long seq) {
        static Labelled latest(Labelled a, Labelled b) {
            return a.seq >= b.seq ? a : b;
        }
    }

    private static List<Line> lines(Map<String, Labelled> lines) {
        List<Line> sorted = new ArrayList<>();
        lines.forEach((key, labelled) -> sorted.add(new Line(key, labelled.label())));
        sorted.sort(Comparator.comparing(Line::label).thenComparing(Line::key));
        return sorted;
    }
}
