package dev.latchkey.query.connection;

import static dev.latchkey.query.connection.ConnectionEvents.ALICE;
import static dev.latchkey.query.connection.ConnectionEvents.APP;
import static dev.latchkey.query.connection.ConnectionEvents.BOB;
import static dev.latchkey.query.connection.ConnectionEvents.GITHUB;
import static dev.latchkey.query.connection.ConnectionEvents.LINEAR;
import static dev.latchkey.query.connection.ConnectionEvents.OTHER_APP;
import static dev.latchkey.query.connection.ConnectionEvents.OTHER_WORKSPACE;
import static dev.latchkey.query.connection.ConnectionEvents.WORKSPACE;
import static dev.latchkey.query.connection.ConnectionEvents.started;
import static dev.latchkey.query.connection.ConnectionEvents.tokens;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.application.ProviderName;
import dev.latchkey.domain.connection.ConnectionEstablished;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.FailureKind;
import dev.latchkey.domain.connection.RefreshFailed;
import dev.latchkey.domain.connection.RefreshStarted;
import dev.latchkey.domain.connection.TokenSet;
import dev.latchkey.domain.connection.Visibility;
import dev.latchkey.domain.connection.WorkspaceId;
import dev.latchkey.domain.secret.Sealed;
import dev.latchkey.query.BatchDelivery;
import dev.latchkey.query.EventLog;
import dev.latchkey.query.TestDatabase;
import dev.latchkey.query.connection.Viewer.Trigger;
import dev.latchkey.query.projection.ProjectionPositions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConnectionQueriesTest {

    private final BatchDelivery processor = new BatchDelivery(
            new ConnectionViewProjection(TestDatabase.jdbc(), new ProjectionPositions(TestDatabase.jdbc())));
    private final ConnectionQueries queries = new ConnectionQueries(TestDatabase.jdbc());
    private final EventLog log = new EventLog();

    // workspace 1, application APP, provider linear unless said otherwise
    private final ConnectionId alicePrivate = ConnectionId.of("c-alice-private");
    private final ConnectionId aliceShared = ConnectionId.of("c-alice-shared");
    private final ConnectionId bobPrivate = ConnectionId.of("c-bob-private");
    private final ConnectionId bobSharedGithub = ConnectionId.of("c-bob-shared-github");
    private final ConnectionId otherAppShared = ConnectionId.of("c-other-app-shared");
    private final ConnectionId otherWorkspaceShared = ConnectionId.of("c-other-workspace-shared");

    @BeforeEach
    void aWorkspaceWithConnections() {
        TestDatabase.clear();
        processor.deliver(
                log.next(started(alicePrivate, ALICE, Visibility.USER)),
                log.next(started(aliceShared, ALICE, Visibility.WORKSPACE)),
                log.next(started(bobPrivate, BOB, Visibility.USER)),
                log.next(started(bobSharedGithub, WORKSPACE, APP, GITHUB, BOB, Visibility.WORKSPACE)),
                log.next(started(otherAppShared, WORKSPACE, OTHER_APP, LINEAR, ALICE, Visibility.WORKSPACE)),
                log.next(started(otherWorkspaceShared, OTHER_WORKSPACE, APP, LINEAR, ALICE, Visibility.WORKSPACE)));
    }

    @Test
    void ownerSeesTheirPrivateConnectionAndTheSharedOnes() {
        assertThat(list(Viewer.member(ALICE))).containsExactly(alicePrivate, aliceShared, bobSharedGithub);
        assertThat(list(Viewer.logicFunction(APP, Trigger.HTTP_ROUTE, ALICE)))
                .containsExactly(alicePrivate, aliceShared, bobSharedGithub);
    }

    @Test
    void anotherMemberDoesNotSeeSomeoneElsesPrivateConnection() {
        assertThat(list(Viewer.member(BOB))).containsExactly(aliceShared, bobPrivate, bobSharedGithub);
        assertThat(list(Viewer.logicFunction(APP, Trigger.HTTP_ROUTE, BOB)))
                .containsExactly(aliceShared, bobPrivate, bobSharedGithub);
    }

    @Test
    void cronSeesOnlyWorkspaceConnections() {
        assertThat(list(Viewer.logicFunction(APP, Trigger.CRON, null))).containsExactly(aliceShared, bobSharedGithub);
    }

    @Test
    void databaseEventSeesOnlyWorkspaceConnections() {
        assertThat(list(Viewer.logicFunction(APP, Trigger.DATABASE_EVENT, null)))
                .containsExactly(aliceShared, bobSharedGithub);
    }

    @Test
    void cronActsForNobodyEvenWhenItsTokenNamesSomeone() {
        assertThat(list(Viewer.logicFunction(APP, Trigger.CRON, ALICE))).containsExactly(aliceShared, bobSharedGithub);
    }

    @Test
    void publicHttpRouteWithoutAPersonSeesNothing() {
        assertThat(list(Viewer.logicFunction(APP, Trigger.HTTP_ROUTE, null))).isEmpty();
    }

    @Test
    void memberCallWithoutAPersonSeesNothing() {
        assertThat(list(Viewer.member(null))).isEmpty();
    }

    @Test
    void anotherApplicationSeesOnlyItsOwnConnections() {
        Viewer otherApp = Viewer.logicFunction(OTHER_APP, Trigger.HTTP_ROUTE, ALICE);

        assertThat(ids(queries.handle(new ListConnections(WORKSPACE, null, null, null, otherApp))))
                .containsExactly(otherAppShared);
        assertThat(ids(queries.handle(new ListConnections(WORKSPACE, APP, null, null, otherApp))))
                .isEmpty();
        assertThat(queries.handle(new GetConnection(WORKSPACE, aliceShared, otherApp)))
                .isEmpty();
    }

    @Test
    void memberSeesEveryApplicationsConnectionsUnlessOneIsAskedFor() {
        Viewer alice = Viewer.member(ALICE);

        assertThat(ids(queries.handle(new ListConnections(WORKSPACE, null, null, null, alice))))
                .containsExactly(alicePrivate, aliceShared, bobSharedGithub, otherAppShared);
        assertThat(ids(queries.handle(new ListConnections(WORKSPACE, OTHER_APP, null, null, alice))))
                .containsExactly(otherAppShared);
    }

    @Test
    void anotherWorkspaceSeesNoneOfThem() {
        assertThat(list(OTHER_WORKSPACE, Viewer.member(ALICE))).containsExactly(otherWorkspaceShared);
        assertThat(list(OTHER_WORKSPACE, Viewer.logicFunction(APP, Trigger.CRON, null)))
                .containsExactly(otherWorkspaceShared);
        assertThat(queries.handle(new GetConnection(OTHER_WORKSPACE, aliceShared, Viewer.member(ALICE))))
                .isEmpty();
    }

    @Test
    void getFollowsTheSameRulesAsList() {
        assertThat(queries.handle(new GetConnection(WORKSPACE, alicePrivate, Viewer.member(ALICE))))
                .isPresent();
        assertThat(queries.handle(new GetConnection(WORKSPACE, alicePrivate, Viewer.member(BOB))))
                .isEmpty();
        assertThat(queries.handle(
                        new GetConnection(WORKSPACE, alicePrivate, Viewer.logicFunction(APP, Trigger.CRON, null))))
                .isEmpty();
        assertThat(queries.handle(
                        new GetConnection(WORKSPACE, aliceShared, Viewer.logicFunction(APP, Trigger.CRON, null))))
                .isPresent();
        assertThat(queries.handle(new GetConnection(WORKSPACE, ConnectionId.of("unknown"), Viewer.member(ALICE))))
                .isEmpty();
    }

    @Test
    void listFiltersByProviderAndVisibility() {
        Viewer alice = Viewer.member(ALICE);

        assertThat(ids(queries.handle(new ListConnections(WORKSPACE, APP, GITHUB, null, alice))))
                .containsExactly(bobSharedGithub);
        assertThat(ids(queries.handle(new ListConnections(WORKSPACE, APP, null, Visibility.USER, alice))))
                .containsExactly(alicePrivate);
        assertThat(ids(queries.handle(new ListConnections(WORKSPACE, APP, LINEAR, Visibility.WORKSPACE, alice))))
                .containsExactly(aliceShared);
        assertThat(ids(queries.handle(new ListConnections(WORKSPACE, APP, ProviderName.of("slack"), null, alice))))
                .isEmpty();
    }

    @Test
    void listIsOrderedByCreationThenById() {
        TestDatabase.clear();
        List<TrackedEventMessage<?>> batch = new ArrayList<>();
        for (String id : List.of("c-3", "c-1", "c-2")) {
            // each log starts at the same instant
            batch.add(new EventLog().next(started(ConnectionId.of(id), ALICE, Visibility.WORKSPACE)));
        }
        log.advance(Duration.ofHours(1));
        batch.add(log.next(started(ConnectionId.of("c-0"), ALICE, Visibility.WORKSPACE)));

        processor.deliver(batch);

        assertThat(list(Viewer.member(ALICE)).stream().map(ConnectionId::value))
                .containsExactly("c-1", "c-2", "c-3", "c-0");
    }

    @Test
    void countIncludesEveryOwnerAndVisibilityButNotRevokedConnections() {
        assertThat(queries.handle(new CountConnections(WORKSPACE, APP, LINEAR))).isEqualTo(3);

        processor.deliver(log.next(ConnectionViewProjectionTest.revoked(bobPrivate)));

        assertThat(queries.handle(new CountConnections(WORKSPACE, APP, LINEAR))).isEqualTo(2);
        assertThat(queries.handle(new CountConnections(WORKSPACE, APP, GITHUB))).isEqualTo(1);
        assertThat(queries.handle(new CountConnections(OTHER_WORKSPACE, OTHER_APP, LINEAR)))
                .isZero();
    }

    @Test
    void dueForRefreshAreActiveConnectionsWithARefreshTokenWhoseScheduledRefreshHasComeAndNoRefreshInFlight() {
        Instant now = log.now();
        // due 60 s before expiry, less a jitter of at most a tenth of the lifetime
        processor.deliver(
                log.next(new ConnectionEstablished(alicePrivate, tokens("a", now.plusSeconds(3600)), null)),
                log.next(new ConnectionEstablished(aliceShared, tokens("b", now.plusSeconds(7200)), null)),
                log.next(new ConnectionEstablished(bobPrivate, tokens("c", now.plusSeconds(3600)), null)),
                log.next(new RefreshStarted(bobPrivate, now.plusSeconds(4000))),
                log.next(new ConnectionEstablished(otherAppShared, tokens("d", now.plusSeconds(1800)), null)));

        ConnectionList due = queries.handle(new FindConnectionsDueForRefresh(now.plusSeconds(3550), 10));

        assertThat(ids(due)).containsExactly(otherAppShared, alicePrivate);
        assertThat(queries.handle(new FindConnectionsDueForRefresh(now.plusSeconds(1500), 10))
                        .items())
                .isEmpty();
        assertThat(ids(queries.handle(new FindConnectionsDueForRefresh(now.plusSeconds(4000), 10))))
                .containsExactly(otherAppShared, alicePrivate, bobPrivate);
    }

    @Test
    void connectionsAreCountedByHealthAsEachOneAnswersItAndTheBacklogIsWhatIsDue() {
        Instant now = log.now();
        processor.deliver(
                log.next(new ConnectionEstablished(alicePrivate, tokens("a", now.plusSeconds(30)), null)),
                log.next(new ConnectionEstablished(
                        aliceShared,
                        new TokenSet(
                                new Sealed("k", "b"),
                                new Sealed("k", "r"),
                                now.plusSeconds(3600),
                                List.of(),
                                "Bearer",
                                null,
                                now.plus(Duration.ofDays(3)),
                                null),
                        null)),
                log.next(new ConnectionEstablished(bobPrivate, tokens("c", now.plusSeconds(3600)), null)),
                log.next(new RefreshStarted(bobPrivate, now.plusSeconds(30))),
                log.next(new RefreshFailed(bobPrivate, 3, FailureKind.TRANSIENT, "timeout", now.plusSeconds(5))));

        Map<String, Long> counted = queries.countByHealth(now);

        Map<String, Long> answered = new java.util.HashMap<>();
        for (String id : TestDatabase.jdbc().queryForList("select connection_id from connection_view", String.class)) {
            ConnectionView view = queries.handle(new GetConnectionUnscoped(ConnectionId.of(id)))
                    .orElseThrow()
                    .connection();
            answered.merge(ConnectionHealth.of(view, now).state(), 1L, Long::sum);
        }
        assertThat(counted).containsAllEntriesOf(answered);
        assertThat(counted).containsEntry("retrying", 1L).containsEntry("expiring", 1L);
        // alicePrivate's 30-second token is due halfway through its life
        assertThat(queries.refreshBacklog(now)).isZero();
        assertThat(queries.refreshBacklog(now.plusSeconds(16))).isEqualTo(1);
    }

    @Test
    void aTokenWithoutExpiryOrWithoutRefreshTokenIsNeverDueAndABackedOffOneWaitsForItsRetry() {
        Instant now = log.now();
        processor.deliver(
                log.next(new ConnectionEstablished(
                        alicePrivate,
                        new TokenSet(new Sealed("k", "a"), new Sealed("k", "r"), null, List.of(), "Bearer", null),
                        null)),
                log.next(new ConnectionEstablished(
                        aliceShared,
                        new TokenSet(new Sealed("k", "b"), null, now.plusSeconds(600), List.of(), "Bearer", null),
                        null)),
                log.next(new ConnectionEstablished(bobPrivate, tokens("c", now.plusSeconds(600)), null)),
                log.next(new RefreshStarted(bobPrivate, now.plusSeconds(30))),
                log.next(new RefreshFailed(
                        bobPrivate, 3, FailureKind.TRANSIENT, "http-503", now.plus(Duration.ofHours(2)))));

        assertThat(queries.handle(new FindConnectionsDueForRefresh(now.plus(Duration.ofHours(1)), 10))
                        .items())
                .isEmpty();
        assertThat(ids(queries.handle(new FindConnectionsDueForRefresh(now.plus(Duration.ofHours(3)), 10))))
                .containsExactly(bobPrivate);
        ConnectionView backedOff = queries.handle(new GetConnectionUnscoped(bobPrivate))
                .orElseThrow()
                .connection();
        assertThat(backedOff.refresh().nextRefreshAt())
                .isEqualTo(now.plus(Duration.ofHours(2)).truncatedTo(java.time.temporal.ChronoUnit.MICROS));
        assertThat(backedOff.refresh().consecutiveFailures()).isEqualTo(1);
        assertThat(backedOff.refresh().lastFailureReason()).isEqualTo("http-503");
        assertThat(queries.handle(new GetConnectionUnscoped(alicePrivate))
                        .orElseThrow()
                        .connection()
                        .refresh()
                        .nextRefreshAt())
                .isNull();
    }

    @Test
    void dueForRefreshPagesForwardFromACursorSoARunNeverSeesARowTwice() {
        Instant now = log.now();
        processor.deliver(
                log.next(new ConnectionEstablished(alicePrivate, tokens("a", now.plusSeconds(3600)), null)),
                log.next(new ConnectionEstablished(bobPrivate, tokens("c", now.plusSeconds(1000)), null)),
                log.next(new ConnectionEstablished(otherAppShared, tokens("d", now.plusSeconds(2000)), null)));

        ConnectionList first = queries.handle(new FindConnectionsDueForRefresh(now.plusSeconds(3550), 2));
        ConnectionList second = queries.handle(new FindConnectionsDueForRefresh(
                now.plusSeconds(3550),
                2,
                FindConnectionsDueForRefresh.Cursor.of(first.items().get(1))));

        assertThat(ids(first)).containsExactly(bobPrivate, otherAppShared);
        assertThat(ids(second)).containsExactly(alicePrivate);
    }

    @Test
    void serialisedViewNeverShowsASealedToken() throws Exception {
        processor.deliver(log.next(new ConnectionEstablished(aliceShared, tokens("1", log.now()), null)));
        ConnectionRow row =
                queries.handle(new GetConnectionUnscoped(aliceShared)).orElseThrow();

        JsonMapper json = JsonMapper.builder().addModule(new JavaTimeModule()).build();

        assertThat(json.writeValueAsString(row.connection()))
                .contains("\"status\":\"active\"")
                .doesNotContain("CIPHERTEXT");
        assertThat(json.writeValueAsString(row)).doesNotContain("CIPHERTEXT");
        assertThat(row.toString()).doesNotContain("CIPHERTEXT");
        assertThat(row.tokens().accessToken().ciphertext()).isEqualTo("CIPHERTEXT-OF-access-1");
    }

    @Test
    void viewerRefusesAMemberCallWithAnApplication() {
        assertThatThrownBy(() -> new Viewer(Viewer.Caller.MEMBER, APP, ALICE, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Viewer.logicFunction(null, Trigger.CRON, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private List<ConnectionId> list(Viewer viewer) {
        return list(WORKSPACE, viewer);
    }

    private List<ConnectionId> list(WorkspaceId workspace, Viewer viewer) {
        ApplicationId application = viewer.boundToApplication().orElse(APP);
        return ids(queries.handle(new ListConnections(workspace, application, null, null, viewer)));
    }

    private static List<ConnectionId> ids(ConnectionList list) {
        return list.items().stream().map(row -> row.connection().id()).toList();
    }
}
