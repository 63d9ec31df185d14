package dev.latchkey.query.connection;

import static dev.latchkey.query.connection.ConnectionEvents.ALICE;
import static dev.latchkey.query.connection.ConnectionEvents.APP;
import static dev.latchkey.query.connection.ConnectionEvents.LINEAR;
import static dev.latchkey.query.connection.ConnectionEvents.WORKSPACE;
import static dev.latchkey.query.connection.ConnectionEvents.pending;
import static dev.latchkey.query.connection.ConnectionEvents.sealed;
import static dev.latchkey.query.connection.ConnectionEvents.started;
import static dev.latchkey.query.connection.ConnectionEvents.tokens;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.domain.connection.AuthorizationFailed;
import dev.latchkey.domain.connection.CallbackAccepted;
import dev.latchkey.domain.connection.ConnectionAuthFailed;
import dev.latchkey.domain.connection.ConnectionEstablished;
import dev.latchkey.domain.connection.ConnectionEvent;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.ConnectionRenamed;
import dev.latchkey.domain.connection.ConnectionRevoked;
import dev.latchkey.domain.connection.ConnectionStatus;
import dev.latchkey.domain.connection.FailureKind;
import dev.latchkey.domain.connection.ReconnectStarted;
import dev.latchkey.domain.connection.RefreshFailed;
import dev.latchkey.domain.connection.RefreshStarted;
import dev.latchkey.domain.connection.RevocationOutcome;
import dev.latchkey.domain.connection.RevocationStarted;
import dev.latchkey.domain.connection.TokenSet;
import dev.latchkey.domain.connection.TokensRefreshed;
import dev.latchkey.domain.connection.Visibility;
import dev.latchkey.domain.connection.VisibilityChanged;
import dev.latchkey.query.BatchDelivery;
import dev.latchkey.query.EventLog;
import dev.latchkey.query.TestDatabase;
import dev.latchkey.query.projection.ProjectionPositions;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConnectionViewProjectionTest {

    private final ProjectionPositions positions = new ProjectionPositions(TestDatabase.jdbc());
    private final ConnectionViewProjection projection = new ConnectionViewProjection(TestDatabase.jdbc(), positions);
    private final BatchDelivery processor = new BatchDelivery(projection);
    private final ConnectionQueries queries = new ConnectionQueries(TestDatabase.jdbc());
    private final EventLog log = new EventLog();
    private final ConnectionId id = ConnectionId.random();

    @BeforeEach
    void emptyTables() {
        TestDatabase.clear();
    }

    @Test
    void startedAuthorizationAddsAPendingConnectionStampedWithTheEventTime() {
        TrackedEventMessage<?> start = log.next(started(id, ALICE, Visibility.USER));

        processor.deliver(start);

        ConnectionRow row = row();
        ConnectionView view = row.connection();
        assertThat(view.id()).isEqualTo(id);
        assertThat(view.workspaceId()).isEqualTo(WORKSPACE);
        assertThat(view.applicationId()).isEqualTo(APP);
        assertThat(view.providerName()).isEqualTo(LINEAR);
        assertThat(view.name()).isEqualTo("Linear #1");
        assertThat(view.visibility()).isEqualTo(Visibility.USER);
        assertThat(view.userWorkspaceId()).isEqualTo(ALICE);
        assertThat(view.status()).isEqualTo(ConnectionStatus.PENDING);
        assertThat(view.scopes()).isEmpty();
        assertThat(view.handle()).isNull();
        assertThat(view.createdAt()).isEqualTo(micros(start.getTimestamp()));
        assertThat(view.updatedAt()).isEqualTo(view.createdAt());
        assertThat(view.accessTokenExpiresAt()).isNull();
        assertThat(row.tokens()).isNull();
        assertThat(row.sequence()).isZero();
    }

    @Test
    void establishedConnectionIsActiveWithSealedTokensScopesAndHandle() {
        Instant expiresAt = log.now().plus(Duration.ofHours(1));
        TrackedEventMessage<?> start = log.next(started(id, ALICE, Visibility.USER));
        TrackedEventMessage<?> established =
                log.next(new ConnectionEstablished(id, tokens("1", expiresAt), "alice@example.com"));

        processor.deliver(start, established);

        ConnectionRow row = row();
        assertThat(row.connection().status()).isEqualTo(ConnectionStatus.ACTIVE);
        assertThat(row.connection().handle()).isEqualTo("alice@example.com");
        assertThat(row.connection().scopes()).containsExactly("read", "write");
        assertThat(row.connection().accessTokenExpiresAt()).isEqualTo(expiresAt);
        assertThat(row.connection().updatedAt()).isEqualTo(micros(established.getTimestamp()));
        assertThat(row.tokens().accessToken()).isEqualTo(sealed("access-1"));
        assertThat(row.tokens().refreshToken()).isEqualTo(sealed("refresh-1"));
        assertThat(row.tokens().tokenResponse()).isEqualTo(sealed("response-1"));
        assertThat(row.tokens().tokenType()).isEqualTo("Bearer");
    }

    @Test
    void accessTokenExpiryKeepsItsNanosecondsSoItCanBeQuotedBackToTheAggregate() {
        Instant expiresAt = Instant.parse("2026-03-01T10:00:00.123456789Z");

        processor.deliver(
                log.next(started(id, ALICE, Visibility.USER)),
                log.next(new ConnectionEstablished(id, tokens("1", expiresAt), null)));

        assertThat(row().connection().accessTokenExpiresAt()).isEqualTo(expiresAt);
    }

    @Test
    void refreshStartedHoldsTheLeaseUntilItsOwnOutcomeReleasesIt() {
        Instant lease = log.now().plusSeconds(30);
        processor.deliver(
                log.next(started(id, ALICE, Visibility.USER)),
                log.next(new ConnectionEstablished(id, tokens("1", log.now()), null)),
                log.next(new RefreshStarted(id, lease)));

        assertThat(row().refresh().leaseExpiresAt()).isEqualTo(micros(lease));
        assertThat(row().refresh().inFlightAt(log.now())).isTrue();

        processor.deliver(
                log.next(new TokensRefreshed(id, 2, tokens("2", log.now().plusSeconds(3600)))));

        ConnectionRow row = row();
        assertThat(row.refresh().leaseExpiresAt()).isNull();
        assertThat(row.tokens().accessToken()).isEqualTo(sealed("access-2"));
    }

    @Test
    void outcomeOfAnOlderRefreshLeavesTheCurrentLeaseInPlace() {
        Instant lease = log.now().plusSeconds(30);
        processor.deliver(
                log.next(started(id, ALICE, Visibility.USER)),
                log.next(new ConnectionEstablished(id, tokens("1", log.now()), null)),
                log.next(new RefreshStarted(id, log.now())),
                log.next(new RefreshStarted(id, lease)),
                log.next(new RefreshFailed(id, 2, FailureKind.TRANSIENT, "timeout", null)));

        assertThat(row().refresh().leaseExpiresAt()).isEqualTo(micros(lease));
    }

    @Test
    void failedRefreshKeepsTheTokensAndRemembersRetryAfter() {
        Instant retryAfter = log.now().plusSeconds(120);
        processor.deliver(
                log.next(started(id, ALICE, Visibility.USER)),
                log.next(new ConnectionEstablished(id, tokens("1", log.now()), null)),
                log.next(new RefreshStarted(id, log.now().plusSeconds(30))),
                log.next(new RefreshFailed(id, 2, FailureKind.TRANSIENT, "http-503", retryAfter)));

        ConnectionRow row = row();
        assertThat(row.connection().status()).isEqualTo(ConnectionStatus.ACTIVE);
        assertThat(row.tokens().accessToken()).isEqualTo(sealed("access-1"));
        assertThat(row.refresh().retryAfter()).isEqualTo(micros(retryAfter));
        assertThat(row.refresh().leaseExpiresAt()).isNull();
    }

    @Test
    void authFailedConnectionStaysListedWithWhenAndWhy() {
        Instant failedAt = Instant.parse("2026-03-01T09:30:00Z");
        processor.deliver(
                log.next(started(id, ALICE, Visibility.USER)),
                log.next(new ConnectionEstablished(id, tokens("1", log.now()), null)));
        TrackedEventMessage<?> authFailed = log.next(new ConnectionAuthFailed(id, "invalid_grant", failedAt));

        processor.deliver(authFailed);

        ConnectionView view = row().connection();
        assertThat(view.status()).isEqualTo(ConnectionStatus.AUTH_FAILED);
        assertThat(view.authFailedAt()).isEqualTo(failedAt);
        assertThat(view.authFailedReason()).isEqualTo("invalid_grant");
        assertThat(view.updatedAt()).isEqualTo(micros(authFailed.getTimestamp()));
    }

    @Test
    void reconnectKeepsTheIdAndNewTokensClearTheAuthFailure() {
        processor.deliver(
                log.next(started(id, ALICE, Visibility.USER)),
                log.next(new ConnectionEstablished(id, tokens("1", log.now()), "alice@example.com")),
                log.next(new ConnectionAuthFailed(id, "invalid_grant", log.now())));

        processor.deliver(
                log.next(new ReconnectStarted(id, ALICE, pending("state-2"))),
                log.next(new CallbackAccepted(id, "state-2")),
                log.next(new ConnectionEstablished(id, tokens("2", log.now().plusSeconds(3600)), "alice@example.com")));

        ConnectionRow row = row();
        assertThat(row.connection().id()).isEqualTo(id);
        assertThat(row.connection().status()).isEqualTo(ConnectionStatus.ACTIVE);
        assertThat(row.connection().authFailedAt()).isNull();
        assertThat(row.connection().authFailedReason()).isNull();
        assertThat(row.tokens().accessToken()).isEqualTo(sealed("access-2"));
        assertThat(row.sequence()).isEqualTo(5);
    }

    @Test
    void failedAuthorizationAttemptLeavesTheConnectionAsItWas() {
        processor.deliver(
                log.next(started(id, ALICE, Visibility.USER)),
                log.next(new CallbackAccepted(id, "state-" + id.value())),
                log.next(new AuthorizationFailed(id, "access_denied", FailureKind.GRANT_REVOKED)));

        ConnectionRow row = row();
        assertThat(row.connection().status()).isEqualTo(ConnectionStatus.PENDING);
        assertThat(row.connection().updatedAt()).isEqualTo(row.connection().createdAt());
        assertThat(row.sequence()).isEqualTo(2);
    }

    @Test
    void renameAndVisibilityChangeShowAndMoveUpdatedAt() {
        processor.deliver(log.next(started(id, ALICE, Visibility.USER)));
        log.advance(Duration.ofMinutes(5));
        TrackedEventMessage<?> rename = log.next(new ConnectionRenamed(id, "Work Linear"));
        TrackedEventMessage<?> visibility = log.next(new VisibilityChanged(id, Visibility.WORKSPACE));

        processor.deliver(rename, visibility);

        ConnectionView view = row().connection();
        assertThat(view.name()).isEqualTo("Work Linear");
        assertThat(view.visibility()).isEqualTo(Visibility.WORKSPACE);
        assertThat(view.updatedAt()).isEqualTo(micros(visibility.getTimestamp()));
    }

    @Test
    void refreshBookkeepingDoesNotMoveUpdatedAt() {
        TrackedEventMessage<?> start = log.next(started(id, ALICE, Visibility.USER));
        TrackedEventMessage<?> established = log.next(new ConnectionEstablished(id, tokens("1", log.now()), null));
        processor.deliver(start, established);
        log.advance(Duration.ofMinutes(5));

        processor.deliver(
                log.next(new RefreshStarted(id, log.now().plusSeconds(30))),
                log.next(new RefreshFailed(id, 2, FailureKind.TRANSIENT, "timeout", null)));

        assertThat(row().connection().updatedAt()).isEqualTo(micros(established.getTimestamp()));
    }

    @Test
    void aDecidedDisconnectKeepsTheRowListedButHandsOutNoTokenOfIt() {
        processor.deliver(
                log.next(started(id, ALICE, Visibility.WORKSPACE)),
                log.next(new ConnectionEstablished(id, tokens("1", log.now()), null)));
        assertThat(row().tokens()).isNotNull();

        processor.deliver(log.next(new RevocationStarted(id)));

        assertThat(row().tokens()).isNull();
        assertThat(row().connection().accessTokenExpiresAt()).isNull();
        assertThat(queries.handle(new ListConnections(WORKSPACE, APP, null, null, Viewer.member(ALICE)))
                        .items())
                .hasSize(1);
    }

    @Test
    void revokedConnectionIsGoneFromTheView() {
        processor.deliver(
                log.next(started(id, ALICE, Visibility.WORKSPACE)),
                log.next(new ConnectionEstablished(id, tokens("1", log.now()), null)));

        processor.deliver(log.next(revoked(id)));

        assertThat(queries.handle(new GetConnectionUnscoped(id))).isEmpty();
        assertThat(queries.handle(new ListConnections(WORKSPACE, APP, null, null, Viewer.member(ALICE)))
                        .items())
                .isEmpty();
    }

    @Test
    void connectionStartedAndRevokedInOneBatchNeverAppears() {
        processor.deliver(log.next(started(id, ALICE, Visibility.WORKSPACE)), log.next(revoked(id)));

        assertThat(queries.handle(new GetConnectionUnscoped(id))).isEmpty();
    }

    @Test
    void redeliveredBatchChangesNothing() {
        List<TrackedEventMessage<?>> batch = List.of(
                log.next(started(id, ALICE, Visibility.USER)),
                log.next(new ConnectionEstablished(id, tokens("1", log.now()), "alice@example.com")),
                log.next(new ConnectionRenamed(id, "Personal Linear")));
        processor.deliver(batch);
        ConnectionRow first = row();

        processor.deliver(batch);

        assertThat(row()).isEqualTo(first);
    }

    @Test
    void redeliveredOlderEventDoesNotUndoANewerOne() {
        TrackedEventMessage<?> start = log.next(started(id, ALICE, Visibility.USER));
        TrackedEventMessage<?> rename = log.next(new ConnectionRenamed(id, "Old name"));
        processor.deliver(start, rename, log.next(new ConnectionRenamed(id, "New name")));

        processor.deliver(rename);

        assertThat(row().connection().name()).isEqualTo("New name");
        assertThat(row().sequence()).isEqualTo(2);
    }

    @Test
    void redeliveredStartDoesNotBringBackARevokedConnection() {
        TrackedEventMessage<?> start = log.next(started(id, ALICE, Visibility.USER));
        TrackedEventMessage<?> rename = log.next(new ConnectionRenamed(id, "Renamed"));
        processor.deliver(start, rename);
        processor.deliver(log.next(revoked(id)));

        processor.deliver(start, rename);

        assertThat(queries.handle(new GetConnectionUnscoped(id))).isEmpty();
    }

    @Test
    void eventsInOneBatchGiveTheSameRowsAsEventsOneBatchEach() {
        ConnectionId other = ConnectionId.random();
        List<TrackedEventMessage<?>> history = List.of(
                log.next(started(id, ALICE, Visibility.USER)),
                log.next(started(other, ALICE, Visibility.WORKSPACE)),
                log.next(new ConnectionEstablished(id, tokens("1", log.now()), "a")),
                log.next(new ConnectionEstablished(other, tokens("x", log.now()), "b")),
                log.next(new RefreshStarted(id, log.now().plusSeconds(30))),
                log.next(new TokensRefreshed(id, 2, tokens("2", log.now().plusSeconds(3600)))),
                log.next(new ConnectionAuthFailed(other, "invalid_grant", log.now())),
                log.next(new ConnectionRenamed(id, "Mine")),
                log.next(new RefreshStarted(id, log.now().plusSeconds(60))));

        processor.deliverOneByOne(history);
        List<ConnectionRow> oneByOne = List.of(row(id), row(other));
        TestDatabase.clear();
        processor.deliver(history);

        assertThat(List.of(row(id), row(other))).isEqualTo(oneByOne);
    }

    @Test
    void batchTouchingMoreRowsThanOneStatementTakesWritesThemAll() {
        List<TrackedEventMessage<?>> batch = new ArrayList<>();
        for (int i = 0; i < 1201; i++) {
            batch.add(log.next(started(ConnectionId.of("c-" + i), ALICE, Visibility.WORKSPACE)));
        }
        processor.deliver(batch);
        List<TrackedEventMessage<?>> renames = new ArrayList<>();
        for (int i = 0; i < 1201; i++) {
            renames.add(log.next(new ConnectionRenamed(ConnectionId.of("c-" + i), "Renamed " + i)));
        }

        processor.deliver(renames);

        assertThat(TestDatabase.jdbc()
                        .queryForObject("SELECT count(*) FROM connection_view WHERE name LIKE 'Renamed %'", Long.class))
                .isEqualTo(1201);
        assertThat(positions.position(ConnectionViewProjection.PROCESSING_GROUP))
                .hasValue(log.lastPosition());
    }

    @Test
    void batchThatFailsLeavesNeitherRowsNorPosition() {
        TrackedEventMessage<?> good = log.next(started(id, ALICE, Visibility.USER));
        TrackedEventMessage<?> broken = log.next(started(ConnectionId.random(), ALICE, null));

        assertThatThrownBy(() -> processor.deliver(good, broken)).isInstanceOf(BatchDelivery.BatchFailed.class);

        assertThat(queries.handle(new GetConnectionUnscoped(id))).isEmpty();
        assertThat(positions.position(ConnectionViewProjection.PROCESSING_GROUP))
                .isEmpty();
    }

    @Test
    void eventHandledOutsideAUnitOfWorkIsWrittenAtOnce() {
        projection.on(started(id, ALICE, Visibility.USER), plain(started(id, ALICE, Visibility.USER)));

        assertThat(row().connection().status()).isEqualTo(ConnectionStatus.PENDING);
    }

    @Test
    void resetEmptiesTheViewAndForgetsItsPosition() {
        processor.deliver(log.next(started(id, ALICE, Visibility.USER)));
        ConnectionId revoked = ConnectionId.random();
        processor.deliver(log.next(started(revoked, ALICE, Visibility.USER)), log.next(revoked(revoked)));

        processor.reset();

        assertThat(queries.handle(new GetConnectionUnscoped(id))).isEmpty();
        assertThat(positions.position(ConnectionViewProjection.PROCESSING_GROUP))
                .isEmpty();
        assertThat(TestDatabase.jdbc().queryForObject("SELECT count(*) FROM connection_view_revoked", Long.class))
                .isZero();
    }

    @Test
    void everyConnectionEventHasAHandler() {
        List<Class<?>> handled = new ArrayList<>();
        for (Method method : ConnectionViewProjection.class.getMethods()) {
            if (method.isAnnotationPresent(EventHandler.class)) {
                handled.add(method.getParameterTypes()[0]);
            }
        }
        // the catch-all takes the message, not its payload, and only moves the position
        assertThat(handled.remove(EventMessage.class)).isTrue();

        assertThat(handled).containsExactlyInAnyOrder(ConnectionEvent.class.getPermittedSubclasses());
    }

    private ConnectionRow row() {
        return row(id);
    }

    private ConnectionRow row(ConnectionId connectionId) {
        Optional<ConnectionRow> row = queries.handle(new GetConnectionUnscoped(connectionId));
        assertThat(row).as("connection %s in the view", connectionId).isPresent();
        return row.get();
    }

    @Test
    void aRowSaysWhenItsTokensWereObtainedWhenTheyAreRefreshedNextAndHowItsRefreshesFare() {
        Instant expiresAt = log.now().plus(Duration.ofHours(1));
        Instant refreshLapses = log.now().plus(Duration.ofDays(100));
        TokenSet withLapse = new TokenSet(
                sealed("access-1"),
                sealed("refresh-1"),
                expiresAt,
                List.of("read"),
                "Bearer",
                null,
                refreshLapses,
                null);
        TrackedEventMessage<?> start = log.next(started(id, ALICE, Visibility.USER));
        TrackedEventMessage<?> established = log.next(new ConnectionEstablished(id, withLapse, null));
        processor.deliver(start, established);

        RefreshSummary fresh = row().connection().refresh();
        assertThat(fresh.lastRefreshedAt()).isEqualTo(micros(established.getTimestamp()));
        assertThat(fresh.refreshTokenExpiresAt()).isEqualTo(micros(refreshLapses));
        // 60 s ahead, less a jitter of at most a tenth of the hour the token lives
        assertThat(fresh.nextRefreshAt()).isBetween(expiresAt.minusSeconds(60 + 360), expiresAt.minusSeconds(60));
        assertThat(row().refresh().tokensRecordedAt()).isEqualTo(1L);

        // the provider asked to wait past the token's scheduled refresh: the schedule waits for it
        Instant retryAt = log.now().plus(Duration.ofMinutes(70));
        processor.deliver(
                log.next(new RefreshStarted(id, log.now().plusSeconds(75))),
                log.next(new RefreshFailed(id, 2, FailureKind.TRANSIENT, "timeout", log.now())),
                log.next(new RefreshStarted(id, log.now().plusSeconds(75))),
                log.next(new RefreshFailed(id, 4, FailureKind.TRANSIENT, "http-503", retryAt)));
        RefreshSummary failing = row().connection().refresh();
        assertThat(failing.consecutiveFailures()).isEqualTo(2);
        assertThat(failing.lastFailureReason()).isEqualTo("http-503");
        assertThat(failing.retryAt()).isEqualTo(micros(retryAt));
        assertThat(failing.lastFailureAt()).isNotNull();
        assertThat(failing.nextRefreshAt()).isEqualTo(micros(retryAt));

        Instant later = log.now().plus(Duration.ofHours(2));
        processor.deliver(
                log.next(new RefreshStarted(id, log.now().plusSeconds(75))),
                log.next(new TokensRefreshed(id, 6, tokens("2", later))));
        RefreshSummary recovered = row().connection().refresh();
        assertThat(recovered.consecutiveFailures()).isZero();
        assertThat(recovered.retryAt()).isNull();
        assertThat(recovered.nextRefreshAt()).isBetween(later.minusSeconds(60 + 720), later.minusSeconds(60));
        // a refresh that says nothing of the refresh token's lifetime: it is not known any more
        assertThat(recovered.refreshTokenExpiresAt()).isNull();
        assertThat(row().refresh().tokensRecordedAt()).isEqualTo(7L);
    }

    @Test
    void aTokenThatNeverExpiresIsScheduledOnlyByTheProvidersKeepAlive() {
        Instant keepAliveBy = log.now().plus(Duration.ofDays(30));
        TokenSet neverExpiring = new TokenSet(
                sealed("access-1"), sealed("refresh-1"), null, List.of("read"), "Bearer", null, null, keepAliveBy);
        TrackedEventMessage<?> start = log.next(started(id, ALICE, Visibility.USER));
        processor.deliver(start, log.next(new ConnectionEstablished(id, neverExpiring, null)));

        assertThat(row().connection().refresh().nextRefreshAt()).isEqualTo(micros(keepAliveBy.minusSeconds(60)));
        assertThat(row().refresh().refreshBy()).isEqualTo(micros(keepAliveBy));

        // and an hour-long token of the same grant is refreshed by its expiry, which comes first
        Instant expiresAt = log.now().plus(Duration.ofHours(1));
        processor.deliver(
                log.next(new RefreshStarted(id, log.now().plusSeconds(75))),
                log.next(new TokensRefreshed(
                        id,
                        2,
                        new TokenSet(
                                sealed("access-2"),
                                sealed("refresh-2"),
                                expiresAt,
                                List.of("read"),
                                "Bearer",
                                null,
                                null,
                                keepAliveBy))));
        assertThat(row().connection().refresh().nextRefreshAt())
                .isBetween(expiresAt.minusSeconds(60 + 360), expiresAt.minusSeconds(60));
    }

    @Test
    void connectionsConnectedTogetherAreScheduledApart() {
        Instant expiresAt = log.now().plus(Duration.ofHours(1));
        List<TrackedEventMessage<?>> events = new ArrayList<>();
        List<ConnectionId> ids = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ConnectionId each = ConnectionId.random();
            ids.add(each);
            events.add(log.next(started(each, ALICE, Visibility.WORKSPACE)));
            events.add(log.next(new ConnectionEstablished(each, tokens("1", expiresAt), null)));
        }
        processor.deliver(events.toArray(TrackedEventMessage<?>[]::new));

        List<Instant> scheduled = ids.stream()
                .map(each -> queries.handle(new GetConnectionUnscoped(each))
                        .orElseThrow()
                        .connection()
                        .refresh()
                        .nextRefreshAt())
                .toList();
        assertThat(scheduled).allSatisfy(at -> assertThat(at).isBefore(expiresAt.minusSeconds(59)));
        assertThat(scheduled.stream().distinct().count()).isGreaterThan(40);
    }

    static ConnectionRevoked revoked(ConnectionId id) {
        return new ConnectionRevoked(id, RevocationOutcome.REVOKED, RevocationOutcome.UNSUPPORTED);
    }

    private static DomainEventMessage<?> plain(Object payload) {
        return new GenericDomainEventMessage<>("Connection", "x", 0, payload);
    }

    private static Instant micros(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }
}
