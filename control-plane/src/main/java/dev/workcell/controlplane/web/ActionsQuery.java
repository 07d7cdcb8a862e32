package dev.workcell.controlplane.web;

import dev.workcell.controlplane.action.LedgerQueries;
import dev.workcell.controlplane.errors.InvalidRequestException;
import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.Operation;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The Actions view's URL: filters (status, operation, target, host, submitter, created since and
 * until, in UTC), order (sort, dir) and the keyset position of the page (after, at).
 */
public record ActionsQuery(
        List<ActionStatus> statuses,
        List<Operation> operations,
        String target,
        String host,
        String submitter,
        String since,
        String until,
        LedgerQueries.Sort sort,
        LedgerQueries.Position after) {

    public static final List<String> STATUSES =
            List.of("QUEUED", "DISPATCHED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED");
    public static final List<String> OPERATIONS = List.of("EXEC", "TRACE", "REPLAY", "REPORT");

    static ActionsQuery parse(
            List<String> status,
            List<String> operation,
            String target,
            String host,
            String submitter,
            String since,
            String until,
            String sort,
            String dir,
            Long after,
            String at) {
        LedgerQueries.Column column = parse(
                        "sort",
                        sort == null || sort.isBlank() ? List.of("created") : List.of(sort),
                        LedgerQueries.Column::valueOf)
                .get(0);
        boolean ascending = "asc".equalsIgnoreCase(dir);
        if (dir != null && !dir.isBlank() && !ascending && !"desc".equalsIgnoreCase(dir)) {
            throw new InvalidRequestException("dir", "asc or desc, got '" + dir + "'");
        }
        if (after != null && after <= 0) {
            throw new InvalidRequestException("after", "a position from the page's next link");
        }
        ActionsQuery query = new ActionsQuery(
                parse("status", status, ActionStatus::valueOf),
                parse("operation", operation, Operation::valueOf),
                FleetPage.orEmpty(target),
                FleetPage.orEmpty(host),
                FleetPage.orEmpty(submitter),
                FleetPage.orEmpty(since),
                FleetPage.orEmpty(until),
                new LedgerQueries.Sort(column, ascending),
                after == null ? null : new LedgerQueries.Position(at == null ? "" : at, after));
        query.filter(); // checks the times
        return query;
    }

    LedgerQueries.Filter filter() {
        return new LedgerQueries.Filter(
                statuses, operations, target, host, time("since", since), submitter, time("until", until));
    }

    /** Whether a changed action belongs in this view: the filters the watch itself does not apply (submitter, time). */
    boolean admits(Action action) {
        OffsetDateTime created = OffsetDateTime.ofInstant(
                java.time.Instant.ofEpochSecond(
                        action.getCreatedAt().getSeconds(),
                        action.getCreatedAt().getNanos()),
                ZoneOffset.UTC);
        OffsetDateTime from = time("since", since);
        OffsetDateTime to = time("until", until);
        return (submitter.isEmpty() || submitter.equals(action.getSubmittedBy()))
                && (from == null || !created.isBefore(from))
                && (to == null || created.isBefore(to));
    }

    /** New actions go on top only where they belong there: the first page, newest first. */
    public boolean showsNewOnTop() {
        return after == null && sort.equals(LedgerQueries.Sort.NEWEST);
    }

    public boolean hasStatus(String status) {
        return statuses.stream().anyMatch(s -> s.name().equals(status));
    }

    public boolean hasOperation(String operation) {
        return operations.stream().anyMatch(o -> o.name().equals(operation));
    }

    public boolean isFiltered() {
        return !statuses.isEmpty()
                || !operations.isEmpty()
                || !target.isEmpty()
                || !host.isEmpty()
                || !submitter.isEmpty()
                || !since.isEmpty()
                || !until.isEmpty();
    }

    /** This view ordered by a column: descending first, ascending when it already is descending by it. */
    public String sortedBy(String column) {
        boolean same = sort.column().name().equalsIgnoreCase(column);
        return filters(Links.of("/actions"))
                .with("sort", column.toLowerCase(Locale.ROOT))
                .with("dir", same && !sort.ascending() ? "asc" : "desc")
                .toString();
    }

    /** The arrow beside the column this view is ordered by. */
    public String arrow(String column) {
        return sort.column().name().equalsIgnoreCase(column) ? (sort.ascending() ? " ▲" : " ▼") : "";
    }

    public String first() {
        return ordered(Links.of("/actions")).toString();
    }

    /** The next page: the same view after the last action of this one. */
    public String next(LedgerQueries.Position last) {
        return ordered(Links.of("/actions"))
                .with("after", Long.toString(last.seq()))
                .with("at", last.value())
                .toString();
    }

    /** The live stream of this view's changes, following a listing's resume token. */
    public String live(String resumeToken) {
        return filters(Links.of("/actions/live"))
                .with("resumeToken", resumeToken)
                .toString();
    }

    private Links ordered(Links links) {
        return filters(links)
                .with(
                        "sort",
                        sort.equals(LedgerQueries.Sort.NEWEST)
                                ? ""
                                : sort.column().name().toLowerCase(Locale.ROOT))
                .with("dir", sort.equals(LedgerQueries.Sort.NEWEST) ? "" : sort.ascending() ? "asc" : "desc");
    }

    private Links filters(Links links) {
        statuses.forEach(status -> links.with("status", status.name()));
        operations.forEach(operation -> links.with("operation", operation.name()));
        return links.with("target", target)
                .with("host", host)
                .with("submitter", submitter)
                .with("since", since)
                .with("until", until);
    }

    /** A time from the filter form (datetime-local, taken as UTC) or RFC 3339; null when empty. */
    private static OffsetDateTime time(String field, String text) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text);
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(text).atOffset(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                throw new InvalidRequestException(field, "'" + text + "' is not a time, e.g. 2026-11-28T10:00 (UTC)");
            }
        }
    }

    private static <T> List<T> parse(String field, List<String> values, Function<String, T> valueOf) {
        return values.stream()
                .flatMap(value -> List.of(value.split(",")).stream())
                .filter(value -> !value.isBlank())
                .map(value -> {
                    try {
                        return valueOf.apply(value.trim().toUpperCase(Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        throw new InvalidRequestException(field, "unknown value '" + value + "'");
                    }
                })
                .toList();
    }
}
