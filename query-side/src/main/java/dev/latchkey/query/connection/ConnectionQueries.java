package dev.latchkey.query.connection;

import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.connection.UserWorkspaceId;
import dev.latchkey.domain.connection.Visibility;
import dev.latchkey.query.projection.SqlInstants;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Reads {@code connection_view}. The handlers answer on Axon's query bus and are plain methods too: a caller on a
 * hot path (a logic function listing its connections) may call them directly and skip the bus.
 *
 * <p>Visibility is applied in SQL, so a caller never receives a row it may not see.
 */
public class ConnectionQueries {

    private static final String SELECT = "SELECT " + ConnectionViewTable.COLUMNS + " FROM connection_view";
    private static final String ORDER = " ORDER BY created_at, connection_id";

    private final JdbcTemplate jdbc;

    public ConnectionQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @QueryHandler
    public ConnectionList handle(ListConnections query) {
        Optional<Filter> filter = Filter.forViewer(query.viewer(), query.applicationId());
        if (filter.isEmpty()) {
            return new ConnectionList(List.of());
        }
        Filter where = filter.get();
        where.add("workspace_id = ?", query.workspaceId().value());
        if (query.providerName() != null) {
            where.add("provider_name = ?", query.providerName().value());
        }
        if (query.visibility() != null) {
            where.add("visibility = ?", query.visibility().wire());
        }
        return new ConnectionList(read(where.sql() + ORDER, where.arguments()));
    }

    @QueryHandler
    public Optional<ConnectionRow> handle(GetConnection query) {
        Optional<Filter> filter = Filter.forViewer(query.viewer(), null);
        if (filter.isEmpty()) {
            return Optional.empty();
        }
        Filter where = filter.get();
        where.add("workspace_id = ?", query.workspaceId().value());
        where.add("connection_id = ?", query.connectionId().value());
        return read(where.sql(), where.arguments()).stream().findFirst();
    }

    @QueryHandler
    public Optional<ConnectionRow> handle(GetConnectionUnscoped query) {
        return read(
                        SELECT + " WHERE connection_id = ?",
                        new Object[] {query.connectionId().value()})
                .stream()
                .findFirst();
    }

    @QueryHandler
    public ConnectionList handle(ListConnectionsOfApplication query) {
        return new ConnectionList(read(
                SELECT + " WHERE application_id = ?" + ORDER,
                new Object[] {query.applicationId().value()}));
    }

    @QueryHandler
    public Long handle(CountConnections query) {
        return jdbc.queryForObject(
                """
                SELECT count(*) FROM connection_view
                WHERE workspace_id = ? AND application_id = ? AND provider_name = ?
                """,
                Long.class,
                query.workspaceId().value(),
                query.applicationId().value(),
                query.providerName().value());
    }

    /**
     * How many connections are in each health state at {@code now}, by {@link ConnectionHealth}'s rule (for the
     * {@code latchkey_connections{health}} gauge). Reads the whole view: call it seldom.
     */
    public Map<String, Long> countByHealth(Instant now) {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put(ConnectionHealth.OK, 0L);
        counts.put(ConnectionHealth.RETRYING, 0L);
        counts.put(ConnectionHealth.EXPIRING, 0L);
        jdbc.query("""
                SELECT CASE
                         WHEN status = 'active' AND consecutive_failures > 0 THEN 'retrying'
                         WHEN status = 'active' AND refresh_token_expires_at <= ? THEN 'expiring'
                         ELSE 'ok'
                       END AS health, count(*)
                  FROM connection_view GROUP BY 1
                """, ps -> SqlInstants.set(ps, 1, now.plus(ConnectionHealth.EXPIRING_WITHIN)), rs -> {
            counts.put(rs.getString(1), rs.getLong(2));
        });
        return counts;
    }

    /** How many connections' scheduled refresh has come at {@code now} (the scheduler's backlog), by the index. */
    public long refreshBacklog(Instant now) {
        List<Long> backlog = jdbc.query(
                "SELECT count(*) FROM connection_view WHERE next_refresh_at IS NOT NULL AND next_refresh_at <= ?",
                ps -> SqlInstants.set(ps, 1, now),
                (rs, row) -> rs.getLong(1));
        return backlog.get(0);
    }

    @QueryHandler
    public ConnectionList handle(FindConnectionsDueForRefresh query) {
        FindConnectionsDueForRefresh.Cursor after = query.after();
        return new ConnectionList(jdbc
                .query(
                        // next_refresh_at is past the lease and the backoff already: the partial index holds
                        // only rows time refreshes, so a run reads the rows due and no others
                        SELECT + """
                                 WHERE next_refresh_at IS NOT NULL AND next_refresh_at <= ?
                                """
                                + (after == null ? "" : "   AND (next_refresh_at, connection_id) > (?, ?)\n")
                                + """
                                 ORDER BY next_refresh_at, connection_id
                                 LIMIT ?
                                """,
                        ps -> {
                            int i = 0;
                            SqlInstants.set(ps, ++i, query.now());
                            if (after != null) {
                                SqlInstants.set(ps, ++i, after.nextRefreshAt());
                                ps.setString(++i, after.connectionId());
                            }
                            ps.setInt(++i, query.limit());
                        },
                        ConnectionViewTable.ROW)
                .stream()
                .map(ConnectionState::toRow)
                .toList());
    }

    @QueryHandler
    public ConnectionList handle(FindAbandonedPendingConnections query) {
        return new ConnectionList(jdbc
                .query(
                        SELECT + """
                                 WHERE status = 'pending' AND updated_at < ?
                                 ORDER BY updated_at, connection_id
                                 LIMIT ?
                                """,
                        ps -> {
                            SqlInstants.set(ps, 1, query.updatedBefore());
                            ps.setInt(2, query.limit());
                        },
                        ConnectionViewTable.ROW)
                .stream()
                .map(ConnectionState::toRow)
                .toList());
    }

    private List<ConnectionRow> read(String sql, Object[] arguments) {
        return jdbc.query(sql, ConnectionViewTable.ROW, arguments).stream()
                .map(ConnectionState::toRow)
                .toList();
    }

    /** The WHERE clause DESIGN.md's visibility rules give a viewer, to which a query adds its own filters. */
    private static final class Filter {

        private final List<String> conditions = new ArrayList<>();
        private final List<Object> arguments = new ArrayList<>();

        /** Empty when the viewer can see nothing at all. */
        static Optional<Filter> forViewer(Viewer viewer, ApplicationId requestedApplication) {
            Optional<ApplicationId> bound = viewer.boundToApplication();
            if (bound.isPresent()
                    && requestedApplication != null
                    && !bound.get().equals(requestedApplication)) {
                return Optional.empty();
            }
            Optional<UserWorkspaceId> person = viewer.actingFor();
            boolean workspace = viewer.seesWorkspaceConnections();
            if (person.isEmpty() && !workspace) {
                return Optional.empty();
            }
            Filter filter = new Filter();
            ApplicationId application = bound.orElse(requestedApplication);
            if (application != null) {
                filter.add("application_id = ?", application.value());
            }
            if (person.isPresent()) {
                filter.add(
                        "(visibility = '" + Visibility.WORKSPACE.wire() + "' OR owner_user_workspace_id = ?)",
                        person.get().value());
            } else {
                filter.conditions.add("visibility = '" + Visibility.WORKSPACE.wire() + "'");
            }
            return Optional.of(filter);
        }

        void add(String condition, Object argument) {
            conditions.add(condition);
            arguments.add(argument);
        }

        String sql() {
            return SELECT + " WHERE " + String.join(" AND ", conditions);
        }

        Object[] arguments() {
            return arguments.toArray();
        }
    }
}
