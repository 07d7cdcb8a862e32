package dev.workcell.controlplane.campaign;

import dev.workcell.controlplane.action.ActionChanges;
import dev.workcell.controlplane.config.WorkcellConfig;
import dev.workcell.controlplane.errors.InvalidRequestException;
import dev.workcell.controlplane.errors.NotFoundException;
import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.CampaignGrid;
import dev.workcell.proto.v1.CampaignGridCell;
import dev.workcell.proto.v1.CampaignGridLine;
import dev.workcell.proto.v1.CampaignGridRequest;
import dev.workcell.proto.v1.Operation;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.BackPressureFailure;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * A campaign's grid: every action it created, grouped by the two axes a client picks; each cell
 * holds its actions (oldest first), their counts by status and the status of the latest. A campaign
 * is a bounded cross product, so the whole grid is counted each time.
 */
@ApplicationScoped
public class CampaignGrids {

    /** Key and label of a line whose value is not known yet (a trace waiting for a device has no model). */
    static final String NONE = "-";

    private static final Pattern LABEL_KEY = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

    /** A checked grid request. */
    public record Axes(GridAxis rows, GridAxis columns, String labelKey) {

        public static Axes parse(String rows, String columns, String labelKey) {
            Axes axes = new Axes(
                    GridAxis.parse("rows", rows, GridAxis.SUBJECT),
                    GridAxis.parse("cols", columns, GridAxis.OPERATION),
                    labelKey == null ? "" : labelKey.strip());
            if (axes.rows == axes.columns) {
                throw new InvalidRequestException(
                        "cols", "rows and columns must be two different axes, both are " + axes.rows.param());
            }
            boolean byLabel = axes.rows == GridAxis.LABEL || axes.columns == GridAxis.LABEL;
            if (byLabel && !LABEL_KEY.matcher(axes.labelKey).matches()) {
                throw new InvalidRequestException(
                        "label_key", "required with the label axis: a subject label key, e.g. team");
            }
            return axes;
        }

        public static Axes of(CampaignGridRequest request) {
            return parse(request.getRows(), request.getCols(), request.getLabelKey());
        }
    }

    /** One action of the campaign with what the axes read of it. */
    private record Placed(String actionId, ActionStatus status, Map<GridAxis, CampaignGridLine> lines) {}

    private final Pool pool;
    private final ActionChanges changes;
    private final CampaignLinks links;
    private final int missedChangesLimit;

    public CampaignGrids(Pool pool, ActionChanges changes, CampaignLinks links, WorkcellConfig config) {
        this.pool = pool;
        this.changes = changes;
        this.links = links;
        this.missedChangesLimit = config.limits().gridWatchMissedChanges();
    }

    /** Every cell now, then each cell whose figures changed (gRPC WatchGrid, the dashboard). */
    public Multi<CampaignGridCell> watch(String campaignId, Axes axes) {
        return Campaigns.find(campaignId).onItem().transformToMulti(campaign -> {
            Map<String, CampaignGridCell> shown = new ConcurrentHashMap<>();
            return recounted(campaign.id, axes).onItem().transformToIterable(grid -> changed(grid, shown));
        });
    }

    /** The whole grid now, then again each time it changed (REST grid events, once the campaign was found). */
    Multi<CampaignGrid> watchGrids(String campaignId, Axes axes) {
        AtomicReference<CampaignGrid> shown = new AtomicReference<>();
        return recounted(campaignId, axes).select().where(grid -> !grid.equals(shown.getAndSet(grid)));
    }

    /**
     * The grid now, then counted again after a change of a trace, replay or report, or a new link to
     * this campaign; changes that come while it counts, or while the watcher has not taken the last
     * count, are folded into one more count. A watcher that leaves more than the limit of changes
     * untaken (its client stopped reading) is cut off rather than kept open forever: the cut-off
     * travels beside the grids, as the folding operator would hold a failure behind the grid it keeps.
     */
    private Multi<CampaignGrid> recounted(String campaignId, Axes axes) {
        AtomicInteger untaken = new AtomicInteger();
        CompletableFuture<CampaignGrid> cutOff = new CompletableFuture<>();
        Multi<String> triggers = Multi.createBy()
                .merging()
                .streams(
                        changes.stream()
                                .select()
                                .where(CampaignGrids::isCampaignWork)
                                .map(Action::getId),
                        links.linked().select().where(campaignId::equals));
        Multi<CampaignGrid> grids = Multi.createBy()
                .merging()
                .streams(Multi.createFrom().item(campaignId), triggers)
                .invoke(ignored -> {
                    if (untaken.incrementAndGet() > missedChangesLimit) {
                        cutOff.completeExceptionally(new BackPressureFailure("the grid watcher left "
                                + missedChangesLimit + " changes untaken and was disconnected; watch again"));
                    }
                })
                .onOverflow()
                .dropPreviousItems()
                .invoke(() -> untaken.set(0))
                .onItem()
                .transformToUniAndConcatenate(ignored -> count(campaignId, axes));
        return Multi.createBy()
                .merging()
                .withRequests(1)
                .streams(grids, Uni.createFrom().completionStage(cutOff).toMulti());
    }

    private static boolean isCampaignWork(Action action) {
        return action.getOperation() == Operation.TRACE
                || action.getOperation() == Operation.REPLAY
                || action.getOperation() == Operation.REPORT;
    }

    private static List<CampaignGridCell> changed(CampaignGrid grid, Map<String, CampaignGridCell> shown) {
        List<CampaignGridCell> changed = new ArrayList<>();
        for (CampaignGridCell cell : grid.getCellsList()) {
            CampaignGridCell before = shown.put(cell.getRow() + "\n" + cell.getColumn(), cell);
            if (!cell.equals(before)) {
                changed.add(cell);
            }
        }
        return changed;
    }

    /** Passes when the campaign exists; 400 for a malformed id, 404 when there is none (read without Hibernate, from any thread). */
    Uni<Void> requireCampaign(String id) {
        return Uni.createFrom()
                .item(() -> CampaignIds.requireValid("id", id))
                .chain(valid -> pool.preparedQuery("SELECT 1 FROM campaigns WHERE id = $1")
                        .execute(Tuple.of(valid)))
                .invoke(rows -> {
                    if (rows.size() == 0) {
                        throw new NotFoundException("no campaign " + id);
                    }
                })
                .replaceWithVoid();
    }

    /** The grid now; 404 when there is no such campaign. */
    public Uni<CampaignGrid> grid(String campaignId, Axes axes) {
        return Campaigns.find(campaignId).chain(campaign -> count(campaign.id, axes));
    }

    Uni<CampaignGrid> count(String campaignId, Axes axes) {
        return pool.preparedQuery("""
                        SELECT l.operation, l.subject_id, s.name AS subject_name, s.labels, a.id, a.status,
                               coalesce(td.dimensions -> 'model' ->> 0, d.dimensions -> 'model' ->> 0) AS model
                        FROM campaign_actions l
                        JOIN subjects s ON s.id = l.subject_id
                        JOIN actions a ON a.id = l.action_id
                        LEFT JOIN actions t ON t.id = l.trace_id
                        LEFT JOIN devices td ON td.id = t.target_id
                        LEFT JOIN devices d ON d.id = a.target_id
                        WHERE l.campaign_id = $1 ORDER BY a.seq""").execute(Tuple.of(campaignId)).map(rows -> {
            List<Placed> placed = new ArrayList<>();
            for (Row row : rows) {
                placed.add(place(row, axes));
            }
            return grid(campaignId, axes, placed);
        });
    }

    private static Placed place(Row row, Axes axes) {
        Map<GridAxis, CampaignGridLine> lines = new LinkedHashMap<>();
        lines.put(GridAxis.SUBJECT, line(row.getString("subject_id"), row.getString("subject_name")));
        String model = row.getString("model");
        lines.put(GridAxis.MODEL, model == null ? line(NONE, "not yet on a device") : line(model, model));
        lines.put(GridAxis.OPERATION, line(row.getString("operation"), row.getString("operation")));
        String label = axes.labelKey().isEmpty()
                ? null
                : CampaignJson.labels(row.getString("labels")).get(axes.labelKey());
        lines.put(GridAxis.LABEL, label == null ? line(NONE, "no " + axes.labelKey()) : line(label, label));
        return new Placed(row.getString("id"), ActionStatus.valueOf(row.getString("status")), lines);
    }

    private static CampaignGrid grid(String campaignId, Axes axes, List<Placed> placed) {
        Map<String, CampaignGridLine> rows = new TreeMap<>();
        Map<String, CampaignGridLine> columns = new TreeMap<>();
        Map<String, CampaignGridCell.Builder> cells = new LinkedHashMap<>();
        for (Placed action : placed) {
            CampaignGridLine row = action.lines().get(axes.rows());
            CampaignGridLine column = action.lines().get(axes.columns());
            rows.putIfAbsent(row.getKey(), row);
            columns.putIfAbsent(column.getKey(), column);
            CampaignGridCell.Builder cell = cells.computeIfAbsent(
                    row.getKey() + "\n" + column.getKey(),
                    ignored ->
                            CampaignGridCell.newBuilder().setRow(row.getKey()).setColumn(column.getKey()));
            cell.setLatest(action.status())
                    .putCounts(
                            action.status().name(),
                            cell.getCountsOrDefault(action.status().name(), 0) + 1)
                    .addActionIds(action.actionId());
        }
        return CampaignGrid.newBuilder()
                .setCampaignId(campaignId)
                .setRows(axes.rows().param())
                .setCols(axes.columns().param())
                .addAllRowLines(sorted(rows))
                .addAllColumnLines(sorted(columns))
                .addAllCells(cells.values().stream()
                        .map(CampaignGridCell.Builder::build)
                        .toList())
                .build();
    }

    private static List<CampaignGridLine> sorted(Map<String, CampaignGridLine> lines) {
        return lines.values().stream()
                .sorted(Comparator.comparing(CampaignGridLine::getLabel).thenComparing(CampaignGridLine::getKey))
                .toList();
    }

    private static CampaignGridLine line(String key, String label) {
        return CampaignGridLine.newBuilder().setKey(key).setLabel(label).build();
    }
}
