package dev.workcell.controlplane.db;

import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnectOptions;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/**
 * The ledger datasource's pool, as Quarkus configures it but for one limit: the SQL client caches a
 * prepared statement (and so PostgreSQL keeps its one plan) only when its text has at most 2,048
 * characters, and the ledger's insert and matching-claim statements are longer. Uncached, they were
 * planned again on every call (1.9 ms of planning per matching claim in benchmark 5).
 */
@Singleton
@ReactiveDataSource(LedgerPoolCreator.LEDGER_DATASOURCE)
public class LedgerPoolCreator implements PgPoolCreator {

    /** The datasource of the ledger's hot path (application.properties: plans that cannot scan). */
    public static final String LEDGER_DATASOURCE = "ledger";

    static final int STATEMENT_CACHE_SQL_LIMIT = 16_384;

    @Override
    public Pool create(Input input) {
        input.pgConnectOptionsList()
                .forEach(options -> options.setPreparedStatementCacheSqlLimit(STATEMENT_CACHE_SQL_LIMIT));
        List<SqlConnectOptions> databases = new ArrayList<>(input.pgConnectOptionsList());
        return PgBuilder.pool()
                .with(input.poolOptions())
                .connectingTo(databases)
                .using(input.vertx())
                .build();
    }
}
