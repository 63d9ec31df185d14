package dev.latchkey.query.connection;

import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.application.ProviderName;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.ConnectionStatus;
import dev.latchkey.domain.connection.UserWorkspaceId;
import dev.latchkey.domain.connection.Visibility;
import dev.latchkey.domain.connection.WorkspaceId;
import dev.latchkey.domain.secret.Sealed;
import dev.latchkey.query.projection.SqlInstants;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/** The SQL of {@code connection_view} and {@code connection_view_revoked}: one column list, bound and read in one place. */
final class ConnectionViewTable {

    static final String COLUMNS = """
            connection_id, workspace_id, application_id, provider_name, name, handle, visibility,
            owner_user_workspace_id, scopes, status, auth_failed_at, auth_failed_reason, created_at, updated_at,
            access_token_key_id, access_token_ciphertext, access_token_expires_at, access_token_expires_at_nanos,
            refresh_token_key_id, refresh_token_ciphertext, token_type, token_response_key_id,
            token_response_ciphertext, refresh_decided_at, refresh_lease_expires_at, refresh_retry_after,
            tokens_recorded_at, last_refreshed_at, refresh_token_expires_at, refresh_by, consecutive_failures, last_failure_at,
            last_failure_reason, next_refresh_at, last_sequence, last_position""";

    private static final int COLUMN_COUNT = COLUMNS.split(",").length;

    /** Rows per statement: PostgreSQL takes at most 65,535 parameters in one. */
    private static final int ROWS_PER_STATEMENT = 500;

    /**
     * Inserts rows, or overwrites the stored ones that are older: a row is never written over by an older version
     * of itself. Many rows go in one statement, which PostgreSQL runs far faster than a statement per row.
     */
    private static String upsert(int rows) {
        String values = "(" + String.join(", ", Collections.nCopies(COLUMN_COUNT, "?")) + ")";
        String[] columns = COLUMNS.split(",\\s*");
        StringBuilder set = new StringBuilder();
        for (int c = 1; c < columns.length; c++) {
            set.append(c == 1 ? "" : ", ")
                    .append(columns[c])
                    .append(" = EXCLUDED.")
                    .append(columns[c]);
        }
        return "INSERT INTO connection_view (" + COLUMNS + ") VALUES "
                + String.join(", ", Collections.nCopies(rows, values))
                + " ON CONFLICT (connection_id) DO UPDATE SET " + set
                + " WHERE connection_view.last_sequence < EXCLUDED.last_sequence";
    }

    private static final String FULL_UPSERT = upsert(ROWS_PER_STATEMENT);

    static final RowMapper<ConnectionState> ROW = ConnectionViewTable::read;

    private final JdbcTemplate jdbc;
    private final Duration refreshAhead;

    /** @param refreshAhead how long before expiry the scheduler refreshes a token (for {@code next_refresh_at}) */
    ConnectionViewTable(JdbcTemplate jdbc, Duration refreshAhead) {
        this.jdbc = jdbc;
        this.refreshAhead = refreshAhead;
    }

    /**
     * Plans this transaction's statements with their actual values. A replay starts on an emptied table: a generic
     * plan cached then (pgjdbc prepares statements on the server after a few uses) scans the whole table until
     * autovacuum analyses it, which costs minutes on a long replay.
     */
    void planForActualValues() {
        jdbc.execute("SET LOCAL plan_cache_mode = force_custom_plan");
    }

    Map<ConnectionId, ConnectionState> load(Collection<ConnectionId> ids) {
        Map<ConnectionId, ConnectionState> rows = new HashMap<>();
        jdbc.query(
                "SELECT " + COLUMNS + " FROM connection_view WHERE connection_id = ANY (?)",
                ps -> ps.setArray(
                        1, textArray(ps, ids.stream().map(ConnectionId::value).toList())),
                rs -> {
                    ConnectionState row = read(rs, 0);
                    rows.put(row.connectionId, row);
                });
        return rows;
    }

    Map<ConnectionId, Long> revokedSequences(Collection<ConnectionId> ids) {
        Map<ConnectionId, Long> revoked = new HashMap<>();
        jdbc.query(
                "SELECT connection_id, last_sequence FROM connection_view_revoked WHERE connection_id = ANY (?)",
                ps -> ps.setArray(
                        1, textArray(ps, ids.stream().map(ConnectionId::value).toList())),
                rs -> {
                    revoked.put(ConnectionId.of(rs.getString(1)), rs.getLong(2));
                });
        return revoked;
    }

    void write(List<ConnectionState> rows) {
        for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
            List<ConnectionState> chunk = rows.subList(from, Math.min(from + ROWS_PER_STATEMENT, rows.size()));
            String sql = chunk.size() == ROWS_PER_STATEMENT ? FULL_UPSERT : upsert(chunk.size());
            jdbc.update(sql, ps -> {
                int next = 1;
                for (ConnectionState row : chunk) {
                    row.nextRefreshAt = row.refreshDueAt(refreshAhead);
                    next = bind(ps, next, row);
                }
            });
        }
    }

    void delete(List<ConnectionId> ids) {
        if (ids.isEmpty()) {
            return;
        }
        jdbc.batchUpdate(
                "DELETE FROM connection_view WHERE connection_id = ?",
                ids,
                ids.size(),
                (ps, id) -> ps.setString(1, id.value()));
    }

    record Revocation(ConnectionId connectionId, long sequence, long position, Instant at) {}

    void rememberRevoked(List<Revocation> revocations) {
        if (revocations.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("""
                INSERT INTO connection_view_revoked (connection_id, last_sequence, last_position, revoked_at)
                VALUES (?, ?, ?, ?) ON CONFLICT (connection_id) DO NOTHING
                """, revocations, revocations.size(), (ps, revocation) -> {
            ps.setString(1, revocation.connectionId().value());
            ps.setLong(2, revocation.sequence());
            ps.setLong(3, revocation.position());
            SqlInstants.set(ps, 4, revocation.at());
        });
    }

    void truncate() {
        jdbc.execute("TRUNCATE connection_view, connection_view_revoked");
    }

    /** Binds the columns in {@link #COLUMNS} order from index {@code i}; returns the next index. */
    private static int bind(PreparedStatement ps, int i, ConnectionState row) throws SQLException {
        ps.setString(i++, row.connectionId.value());
        ps.setString(i++, row.workspaceId.value());
        ps.setString(i++, row.applicationId.value());
        ps.setString(i++, row.providerName.value());
        ps.setString(i++, row.name);
        ps.setString(i++, row.handle);
        ps.setString(i++, row.visibility.wire());
        ps.setString(i++, row.owner.value());
        ps.setArray(i++, textArray(ps, row.scopes));
        ps.setString(i++, row.status.wire());
        SqlInstants.set(ps, i++, row.authFailedAt);
        ps.setString(i++, row.authFailedReason);
        SqlInstants.set(ps, i++, row.createdAt);
        SqlInstants.set(ps, i++, row.updatedAt);
        i = setSealed(ps, i, row.accessToken);
        SqlInstants.set(ps, i++, row.accessTokenExpiresAt);
        if (row.accessTokenExpiresAt == null) {
            ps.setNull(i++, Types.INTEGER);
        } else {
            ps.setInt(i++, row.accessTokenExpiresAt.getNano() % 1000);
        }
        i = setSealed(ps, i, row.refreshToken);
        ps.setString(i++, row.tokenType);
        i = setSealed(ps, i, row.tokenResponse);
        if (row.refreshDecidedAt == null) {
            ps.setNull(i++, Types.BIGINT);
        } else {
            ps.setLong(i++, row.refreshDecidedAt);
        }
        SqlInstants.set(ps, i++, row.refreshLeaseExpiresAt);
        SqlInstants.set(ps, i++, row.retryAfter);
        if (row.tokensRecordedAt == null) {
            ps.setNull(i++, Types.BIGINT);
        } else {
            ps.setLong(i++, row.tokensRecordedAt);
        }
        SqlInstants.set(ps, i++, row.lastRefreshedAt);
        SqlInstants.set(ps, i++, row.refreshTokenExpiresAt);
        SqlInstants.set(ps, i++, row.refreshBy);
        ps.setInt(i++, row.consecutiveFailures);
        SqlInstants.set(ps, i++, row.lastFailureAt);
        ps.setString(i++, row.lastFailureReason);
        SqlInstants.set(ps, i++, row.nextRefreshAt);
        ps.setLong(i++, row.lastSequence);
        ps.setLong(i++, row.lastPosition);
        return i;
    }

    private static ConnectionState read(ResultSet rs, int rowNumber) throws SQLException {
        ConnectionState row = new ConnectionState();
        row.connectionId = ConnectionId.of(rs.getString("connection_id"));
        row.workspaceId = WorkspaceId.of(rs.getString("workspace_id"));
        row.applicationId = ApplicationId.of(rs.getString("application_id"));
        row.providerName = ProviderName.of(rs.getString("provider_name"));
        row.name = rs.getString("name");
        row.handle = rs.getString("handle");
        row.visibility = Visibility.fromWire(rs.getString("visibility"));
        row.owner = UserWorkspaceId.of(rs.getString("owner_user_workspace_id"));
        row.scopes = List.of((String[]) rs.getArray("scopes").getArray());
        row.status = ConnectionStatus.fromWire(rs.getString("status"));
        row.authFailedAt = SqlInstants.get(rs, "auth_failed_at");
        row.authFailedReason = rs.getString("auth_failed_reason");
        row.createdAt = SqlInstants.get(rs, "created_at");
        row.updatedAt = SqlInstants.get(rs, "updated_at");
        row.accessToken = sealed(rs, "access_token");
        Instant expiresAt = SqlInstants.get(rs, "access_token_expires_at");
        row.accessTokenExpiresAt =
                expiresAt == null ? null : expiresAt.plusNanos(rs.getInt("access_token_expires_at_nanos"));
        row.refreshToken = sealed(rs, "refresh_token");
        row.tokenType = rs.getString("token_type");
        row.tokenResponse = sealed(rs, "token_response");
        long decidedAt = rs.getLong("refresh_decided_at");
        row.refreshDecidedAt = rs.wasNull() ? null : decidedAt;
        row.refreshLeaseExpiresAt = SqlInstants.get(rs, "refresh_lease_expires_at");
        row.retryAfter = SqlInstants.get(rs, "refresh_retry_after");
        long tokensRecordedAt = rs.getLong("tokens_recorded_at");
        row.tokensRecordedAt = rs.wasNull() ? null : tokensRecordedAt;
        row.lastRefreshedAt = SqlInstants.get(rs, "last_refreshed_at");
        row.refreshTokenExpiresAt = SqlInstants.get(rs, "refresh_token_expires_at");
        row.refreshBy = SqlInstants.get(rs, "refresh_by");
        row.consecutiveFailures = rs.getInt("consecutive_failures");
        row.lastFailureAt = SqlInstants.get(rs, "last_failure_at");
        row.lastFailureReason = rs.getString("last_failure_reason");
        row.nextRefreshAt = SqlInstants.get(rs, "next_refresh_at");
        row.lastSequence = rs.getLong("last_sequence");
        row.lastPosition = rs.getLong("last_position");
        return row;
    }

    private static int setSealed(PreparedStatement ps, int i, Sealed sealed) throws SQLException {
        ps.setString(i, sealed == null ? null : sealed.keyId());
        ps.setString(i + 1, sealed == null ? null : sealed.ciphertext());
        return i + 2;
    }

    private static Sealed sealed(ResultSet rs, String prefix) throws SQLException {
        String keyId = rs.getString(prefix + "_key_id");
        return keyId == null ? null : new Sealed(keyId, rs.getString(prefix + "_ciphertext"));
    }

    private static Array textArray(PreparedStatement ps, Collection<String> values) throws SQLException {
        return ps.getConnection().createArrayOf("text", values.toArray());
    }
}
