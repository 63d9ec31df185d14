package dev.latchkey.app.connection;

import dev.latchkey.app.config.LatchkeyProperties;
import dev.latchkey.app.crypto.ConnectionSecrets;
import dev.latchkey.app.flow.ConnectionTarget;
import dev.latchkey.app.flow.TokenRefresher;
import dev.latchkey.app.writemodel.Actor;
import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.ConnectionStatus;
import dev.latchkey.domain.connection.UserWorkspaceId;
import dev.latchkey.domain.connection.Visibility;
import dev.latchkey.domain.connection.WorkspaceId;
import dev.latchkey.domain.secret.Secret;
import dev.latchkey.domain.secret.SecretField;
import dev.latchkey.query.application.ApplicationQueries;
import dev.latchkey.query.connection.ConnectionQueries;
import dev.latchkey.query.connection.ConnectionRow;
import dev.latchkey.query.connection.ConnectionView;
import dev.latchkey.query.connection.GetConnection;
import dev.latchkey.query.connection.ListConnections;
import dev.latchkey.query.connection.Viewer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;

/**
 * {@code listConnections} / {@code getConnection}. For a logic function asking for credentials, every token that
 * expires within the refresh-ahead window is refreshed first (several connections at once), and the rows are read
 * again after.
 */
@Service
public class ConnectionReads implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ConnectionReads.class);

    private static final int PARALLEL_REFRESHES = 8;

    private final ConnectionQueries connections;
    private final ApplicationQueries applications;
    private final TokenRefresher refresher;
    private final ConnectionSecrets secrets;
    private final Clock clock;
    private final Duration refreshAhead;
    private final ExecutorService refreshes;

    public ConnectionReads(
            ConnectionQueries connections,
            ApplicationQueries applications,
            TokenRefresher refresher,
            ConnectionSecrets secrets,
            Clock clock,
            LatchkeyProperties properties) {
        this.connections = connections;
        this.applications = applications;
        this.refresher = refresher;
        this.secrets = secrets;
        this.clock = clock;
        this.refreshAhead = properties.refreshAhead();
        AtomicInteger threads = new AtomicInteger();
        this.refreshes = Executors.newFixedThreadPool(PARALLEL_REFRESHES, task -> {
            Thread thread = new Thread(task, "refresh-on-read-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    public List<ConnectionAnswer> list(ListConnections query, boolean withTokens, Actor actor) {
        List<ConnectionRow> rows = connections.handle(query).items();
        if (!withTokens) {
            return rows.stream().map(row -> answer(row, false)).toList();
        }
        Set<ApplicationId> uninstalled = uninstalled(rows);
        if (refreshDue(rows, uninstalled, actor)) {
            rows = connections.handle(query).items();
        }
        ConnectionSecrets opened = secrets.forOneAnswer(rows.stream()
                .filter(row -> row.tokens() != null && row.tokens().accessToken() != null)
                .map(row -> row.tokens().accessToken())
                .toList());
        return rows.stream().map(row -> answer(row, uninstalled, opened)).toList();
    }

    public Optional<ConnectionAnswer> get(GetConnection query, boolean withTokens, Actor actor) {
        Optional<ConnectionRow> row = connections.handle(query);
        if (!withTokens || row.isEmpty()) {
            return row.map(r -> answer(r, false));
        }
        Set<ApplicationId> uninstalled = uninstalled(List.of(row.get()));
        if (refreshDue(List.of(row.get()), uninstalled, actor)) {
            row = connections.handle(query);
        }
        return row.map(r -> answer(r, uninstalled, secrets));
    }

    /**
     * API.md's preferred connection among those {@code query} finds: the newest active {@code user} connection owned
     * by {@code person}, else the newest active {@code workspace} one. Pending and auth-failed ones are never
     * preferred. The rows are chosen without their tokens; only the one chosen is read (and refreshed) with them.
     */
    public Optional<ConnectionAnswer> preferred(
            ListConnections query, UserWorkspaceId person, boolean withTokens, Actor actor) {
        List<ConnectionView> active = connections.handle(query).items().stream()
                .map(ConnectionRow::connection)
                .filter(c -> c.status() == ConnectionStatus.ACTIVE)
                .toList();
        Comparator<ConnectionView> newest =
                Comparator.comparing(ConnectionView::createdAt).thenComparing(c -> c.id().value());
        Optional<ConnectionView> chosen = active.stream()
                .filter(c ->
                        c.visibility() == Visibility.USER && c.userWorkspaceId().equals(person))
                .max(newest)
                .or(() -> active.stream()
                        .filter(c -> c.visibility() == Visibility.WORKSPACE)
                        .max(newest));
        return chosen.flatMap(
                c -> get(new GetConnection(query.workspaceId(), c.id(), query.viewer()), withTokens, actor)
                        .filter(answer -> answer.connection().status() == ConnectionStatus.ACTIVE));
    }

    /** The connection as {@code viewer} may see it. @throws ConnectionNotFoundException when it may not (or is gone) */
    public ConnectionRow visibleRow(WorkspaceId workspace, ConnectionId id, Viewer viewer) {
        return connections
                .handle(new GetConnection(workspace, id, viewer))
                .orElseThrow(ConnectionNotFoundException::new);
    }

    public ConnectionAnswer answer(ConnectionRow row, boolean withTokens) {
        if (!withTokens) {
            return new ConnectionAnswer(row.connection(), null);
        }
        return answer(row, uninstalled(List.of(row)), secrets);
    }

    /**
     * With the credentials: none for an application uninstalled (its tokens are being revoked), none for a row whose
     * tokens cannot be unsealed (said why, so one bad row never fails the others' answer).
     */
    private ConnectionAnswer answer(ConnectionRow row, Set<ApplicationId> uninstalled, ConnectionSecrets unsealing) {
        if (uninstalled.contains(row.connection().applicationId())) {
            return new ConnectionAnswer(row.connection(), null, ConnectionAnswer.APPLICATION_UNINSTALLED);
        }
        try {
            return new ConnectionAnswer(row.connection(), usableAccessToken(row, unsealing));
        } catch (RuntimeException e) {
            log.warn(
                    "the tokens of connection {} cannot be unsealed: {}",
                    row.connection().id(),
                    e.getClass().getSimpleName());
            return new ConnectionAnswer(row.connection(), null, ConnectionAnswer.CREDENTIALS_UNREADABLE);
        }
    }

    /**
     * The applications of these rows that are not installed. Uninstalling waits for the application view, so from
     * the moment the uninstall command returns no token of the application is handed out here.
     */
    private Set<ApplicationId> uninstalled(List<ConnectionRow> rows) {
        Set<ApplicationId> uninstalled = new HashSet<>();
        rows.forEach(row -> uninstalled.add(row.connection().applicationId()));
        uninstalled.removeAll(applications.installed(uninstalled));
        return uninstalled;
    }

    /** @return whether anything was refreshed (or attempted), so the rows must be read again */
    private boolean refreshDue(List<ConnectionRow> rows, Set<ApplicationId> uninstalled, Actor actor) {
        Instant threshold = clock.instant().plus(refreshAhead);
        List<ConnectionRow> due = rows.stream()
                .filter(row -> !uninstalled.contains(row.connection().applicationId()))
                .filter(row -> isDue(row, threshold))
                .toList();
        if (due.isEmpty()) {
            return false;
        }
        if (due.size() == 1) {
            refreshQuietly(due.get(0), actor);
            return true;
        }
        CompletableFuture.allOf(due.stream()
                        .map(row -> CompletableFuture.runAsync(() -> refreshQuietly(row, actor), refreshes))
                        .toArray(CompletableFuture[]::new))
                .join();
        return true;
    }

    /** A refresh that fails leaves the row as it is: the read answers what the view then holds. */
    private void refreshQuietly(ConnectionRow row, Actor actor) {
        try {
            refresher.refresh(ConnectionTarget.of(row), false, actor);
        } catch (RuntimeException e) {
            log.warn(
                    "refresh on read of connection {} failed: {}",
                    row.connection().id(),
                    e.getClass().getSimpleName());
        }
    }

    private static boolean isDue(ConnectionRow row, Instant threshold) {
        Instant expiresAt = row.connection().accessTokenExpiresAt();
        return row.connection().status() == ConnectionStatus.ACTIVE
                && row.tokens() != null
                && row.tokens().refreshToken() != null
                && expiresAt != null
                && !expiresAt.isAfter(threshold);
    }

    /** The access token while it is still valid; none for a pending or auth-failed connection. */
    private Secret usableAccessToken(ConnectionRow row, ConnectionSecrets unsealing) {
        Instant expiresAt = row.connection().accessTokenExpiresAt();
        if (row.connection().status() != ConnectionStatus.ACTIVE
                || row.tokens() == null
                || (expiresAt != null && !expiresAt.isAfter(clock.instant()))) {
            return null;
        }
        return unsealing.unseal(
                row.connection().workspaceId(),
                row.connection().id(),
                SecretField.ACCESS_TOKEN,
                row.tokens().accessToken());
    }

    @Override
    public void destroy() {
        refreshes.shutdownNow();
    }
}
