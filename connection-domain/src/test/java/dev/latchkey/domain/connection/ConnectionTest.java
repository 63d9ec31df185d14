package dev.latchkey.domain.connection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.application.ProviderName;
import dev.latchkey.domain.connection.AuthorizationStateRejected.Reason;
import dev.latchkey.domain.secret.Sealed;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.axonframework.test.aggregate.TestExecutor;
import org.axonframework.test.matchers.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ConnectionTest {

    static final ConnectionId ID = ConnectionId.of("6f1c1c9e-0c52-4f5e-9d0a-6ad0f4f3c2a1");
    static final WorkspaceId WORKSPACE = WorkspaceId.of("ws-1");
    static final ApplicationId APP = ApplicationId.of("b6f1a2c4-3d5e-4f60-8a7b-9c0d1e2f3a4b");
    static final ProviderName LINEAR = ProviderName.of("linear");
    static final UserWorkspaceId ALICE = UserWorkspaceId.of("uw-alice");
    static final UserWorkspaceId BOB = UserWorkspaceId.of("uw-bob");
    static final Duration AHEAD = Duration.ofSeconds(60);
    static final Duration LEASE = Duration.ofSeconds(30);

    static final Sealed VERIFIER = new Sealed("k1", "verifier-ciphertext");
    static final Sealed ACCESS_1 = new Sealed("k1", "access-1");
    static final Sealed REFRESH_1 = new Sealed("k1", "refresh-1");
    static final Sealed ACCESS_2 = new Sealed("k1", "access-2");
    static final Sealed REFRESH_2 = new Sealed("k1", "refresh-2");

    final Instant t0 = Instant.parse("2026-11-28T12:00:00Z");
    FixtureConfiguration<Connection> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Connection.class);
    }

    /** Given these events, at {@link #t0}. */
    TestExecutor<Connection> given(Object... events) {
        return fixture.givenCurrentTime(t0).andGiven(events);
    }

    PendingAuthorization pending(String state, String binding) {
        return new PendingAuthorization(state, binding, VERIFIER, t0.plus(Duration.ofMinutes(10)), null);
    }

    AuthorizationStarted started(Visibility visibility) {
        return new AuthorizationStarted(
                ID, WORKSPACE, APP, LINEAR, ALICE, visibility, "Linear #1", pending("state-a", "browser-a"));
    }

    TokenSet tokens(Sealed access, Sealed refresh, Instant expiresAt) {
        return new TokenSet(access, refresh, expiresAt, List.of("read"), "Bearer", null);
    }

    /** Events of an active connection: started (seq 0), callback accepted (1), established (2). */
    Object[] active(Visibility visibility, Instant expiresAt) {
        return new Object[] {
            started(visibility),
            new CallbackAccepted(ID, "state-a"),
            new ConnectionEstablished(ID, tokens(ACCESS_1, REFRESH_1, expiresAt), "alice@example.com")
        };
    }

    @Nested
    class StartingAndCallback {

        @Test
        void startAuthorizationCreatesAPendingConnection() {
            fixture.givenCurrentTime(t0)
                    .when(new StartAuthorization(
                            ID,
                            WORKSPACE,
                            APP,
                            LINEAR,
                            ALICE,
                            Visibility.USER,
                            "  Linear #1 ",
                            pending("state-a", "browser-a")))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(started(Visibility.USER));
        }

        @Test
        void startAuthorizationRefusesABlankName() {
            fixture.givenCurrentTime(t0)
                    .when(new StartAuthorization(
                            ID, WORKSPACE, APP, LINEAR, ALICE, Visibility.USER, " ", pending("state-a", "browser-a")))
                    .expectException(InvalidConnectionValueException.class)
                    .expectNoEvents();
        }

        @Test
        void callbackWithTheRightStateAndBrowserIsAcceptedAndAnswersTheVerifier() {
            given(started(Visibility.USER))
                    .when(new CompleteCallback(ID, "state-a", "browser-a"))
                    .expectEvents(new CallbackAccepted(ID, "state-a"))
                    .expectResultMessagePayload(new CallbackDecision(1, VERIFIER, null));
        }

        @Test
        void callbackWithAnUnknownStateIsRefused() {
            given(started(Visibility.USER))
                    .when(new CompleteCallback(ID, "state-other", "browser-a"))
                    .expectException(Matchers.predicate(
                            e -> e instanceof AuthorizationStateRejected r && r.reason() == Reason.UNKNOWN))
                    .expectNoEvents();
        }

        @Test
        void replayedStateIsRefused() {
            given(started(Visibility.USER), new CallbackAccepted(ID, "state-a"))
                    .when(new CompleteCallback(ID, "state-a", "browser-a"))
                    .expectException(Matchers.predicate(
                            e -> e instanceof AuthorizationStateRejected r && r.reason() == Reason.ALREADY_USED))
                    .expectNoEvents();
        }

        @Test
        void expiredStateIsRefused() {
            given(started(Visibility.USER))
                    .andGivenCurrentTime(t0.plus(Duration.ofMinutes(10)))
                    .when(new CompleteCallback(ID, "state-a", "browser-a"))
                    .expectException(Matchers.predicate(
                            e -> e instanceof AuthorizationStateRejected r && r.reason() == Reason.EXPIRED))
                    .expectNoEvents();
        }

        @Test
        void callbackFromAnotherBrowserIsRefusedAndLeavesTheStateUsable() {
            given(started(Visibility.USER))
                    .when(new CompleteCallback(ID, "state-a", "browser-b"))
                    .expectException(Matchers.predicate(
                            e -> e instanceof AuthorizationStateRejected r && r.reason() == Reason.BINDING_MISMATCH))
                    .expectNoEvents();
            given(started(Visibility.USER))
                    .when(new CompleteCallback(ID, "state-a", "browser-a"))
                    .expectEvents(new CallbackAccepted(ID, "state-a"));
        }

        @Test
        void deniedConsentUsesTheStateAndKeepsTheConnectionPending() {
            given(started(Visibility.USER))
                    .when(new DenyAuthorization(ID, "state-a", "browser-a", "access_denied"))
                    .expectEvents(
                            new CallbackAccepted(ID, "state-a"),
                            new AuthorizationFailed(ID, "access_denied", FailureKind.GRANT_REVOKED))
                    .expectState(c -> assertThat(c).extracting("status").isEqualTo(ConnectionStatus.PENDING));
        }

        @Test
        void aProvidersErrorIsKeptWithoutItsControlCharacters() {
            given(started(Visibility.USER))
                    .when(new DenyAuthorization(ID, "state-a", "browser-a", "access\u0000denied\u001b"))
                    .expectEvents(
                            new CallbackAccepted(ID, "state-a"),
                            new AuthorizationFailed(ID, "access\uFFFDdenied\uFFFD", FailureKind.GRANT_REVOKED));
        }

        @Test
        void denialWithAForeignBrowserIsRefused() {
            given(started(Visibility.USER))
                    .when(new DenyAuthorization(ID, "state-a", "browser-b", "access_denied"))
                    .expectException(AuthorizationStateRejected.class)
                    .expectNoEvents();
        }

        @Test
        void codeExchangeOutcomeIsRecordedAgainstItsDecision() {
            TokenSet tokens = tokens(ACCESS_1, REFRESH_1, t0.plusSeconds(3600));
            given(started(Visibility.USER), new CallbackAccepted(ID, "state-a"))
                    .when(new RecordCodeExchange(ID, 1, tokens, "alice@example.com"))
                    .expectEvents(new ConnectionEstablished(ID, tokens, "alice@example.com"))
                    .expectState(c -> assertThat(c).extracting("status").isEqualTo(ConnectionStatus.ACTIVE));
        }

        @Test
        void codeExchangeOutcomeForAStaleDecisionIsRefused() {
            // the callback of a first attempt was accepted (seq 1), then a reconnect started a new attempt (seq 2)
            given(
                            started(Visibility.USER),
                            new CallbackAccepted(ID, "state-a"),
                            new ReconnectStarted(ID, ALICE, pending("state-b", "browser-a")))
                    .when(new RecordCodeExchange(ID, 1, tokens(ACCESS_1, REFRESH_1, null), null))
                    .expectException(StaleOutcomeException.class)
                    .expectNoEvents();
        }

        @Test
        void failedCodeExchangeIsRecordedAndTheOutcomeCannotBeRecordedTwice() {
            given(
                            started(Visibility.USER),
                            new CallbackAccepted(ID, "state-a"),
                            new AuthorizationFailed(ID, "invalid_grant", FailureKind.GRANT_REVOKED))
                    .when(new RecordCodeExchange(ID, 1, tokens(ACCESS_1, REFRESH_1, null), null))
                    .expectException(StaleOutcomeException.class);
            given(started(Visibility.USER), new CallbackAccepted(ID, "state-a"))
                    .when(new RecordCodeExchangeFailure(ID, 1, FailureKind.TRANSIENT, "http-503"))
                    .expectEvents(new AuthorizationFailed(ID, "http-503", FailureKind.TRANSIENT));
        }
    }

    @Nested
    class Reconnecting {

        @Test
        void ownerReconnectsAndKeepsTheId() {
            PendingAuthorization again = pending("state-b", "browser-b");
            given(active(Visibility.USER, t0.plusSeconds(3600)))
                    .when(new StartReconnect(ID, ALICE, again))
                    .expectEvents(new ReconnectStarted(ID, ALICE, again));
        }

        @Test
        void anotherMemberCannotReconnectSomeoneElsesPrivateConnection() {
            given(active(Visibility.USER, t0.plusSeconds(3600)))
                    .when(new StartReconnect(ID, BOB, pending("state-b", "browser-b")))
                    .expectException(NotPermittedException.class)
                    .expectNoEvents();
        }

        @Test
        void anyMemberMayReconnectAWorkspaceConnection() {
            PendingAuthorization again = pending("state-b", "browser-b");
            given(active(Visibility.WORKSPACE, t0.plusSeconds(3600)))
                    .when(new StartReconnect(ID, BOB, again))
                    .expectEvents(new ReconnectStarted(ID, BOB, again));
        }

        @Test
        void reconnectSupersedesTheOldState() {
            given(started(Visibility.USER), new ReconnectStarted(ID, ALICE, pending("state-b", "browser-a")))
                    .when(new CompleteCallback(ID, "state-a", "browser-a"))
                    .expectException(AuthorizationStateRejected.class);
        }

        @Test
        void reconnectOfAnAuthFailedConnectionMakesItActiveAgain() {
            TokenSet fresh = tokens(ACCESS_2, REFRESH_2, t0.plusSeconds(3600));
            given(active(Visibility.USER, t0.plusSeconds(3600)))
                    .andGiven(
                            new ConnectionAuthFailed(ID, "invalid_grant", t0),
                            new ReconnectStarted(ID, ALICE, pending("state-b", "browser-a")),
                            new CallbackAccepted(ID, "state-b"))
                    .when(new RecordCodeExchange(ID, 5, fresh, "alice@example.com"))
                    .expectEvents(new ConnectionEstablished(ID, fresh, "alice@example.com"))
                    .expectState(c -> assertThat(c).extracting("status").isEqualTo(ConnectionStatus.ACTIVE));
        }
    }

    @Nested
    class Refreshing {

        @Test
        void aTokenExpiringWithinTheRefreshAheadWindowIsRefreshedUnderALease() {
            given(active(Visibility.USER, t0.plusSeconds(30)))
                    .when(new RefreshToken(ID, AHEAD, false, LEASE))
                    .expectEvents(new RefreshStarted(ID, t0.plus(LEASE)))
                    .expectResultMessagePayload(new RefreshDecision.Proceed(3, REFRESH_1, List.of("read")));
        }

        @Test
        void aFreshTokenIsNotRefreshedUnlessForced() {
            given(active(Visibility.USER, t0.plusSeconds(3600)))
                    .when(new RefreshToken(ID, AHEAD, false, LEASE))
                    .expectNoEvents()
                    .expectResultMessagePayload(new RefreshDecision.NotNeeded());
            given(active(Visibility.USER, t0.plusSeconds(3600)))
                    .when(new RefreshToken(ID, AHEAD, true, LEASE))
                    .expectEvents(new RefreshStarted(ID, t0.plus(LEASE)));
        }

        @Test
        void aSecondRefreshWaitsWhileTheLeaseHolds() {
            given(active(Visibility.USER, t0.plusSeconds(30)))
                    .andGiven(new RefreshStarted(ID, t0.plus(LEASE)))
                    .when(new RefreshToken(ID, AHEAD, true, LEASE))
                    .expectNoEvents()
                    .expectResultMessagePayload(new RefreshDecision.InFlight(t0.plus(LEASE)));
        }

        @Test
        void anExpiredLeaseIsTakenOver() {
            given(active(Visibility.USER, t0.plusSeconds(30)))
                    .andGiven(new RefreshStarted(ID, t0.plus(LEASE)))
                    .andGivenCurrentTime(t0.plus(LEASE))
                    .when(new RefreshToken(ID, AHEAD, false, LEASE))
                    .expectEvents(new RefreshStarted(ID, t0.plus(LEASE).plus(LEASE)))
                    .expectResultMessagePayload(new RefreshDecision.Proceed(4, REFRESH_1, List.of("read")));
        }

        @Test
        void aConnectionWithoutRefreshTokenOrNotActiveIsNotRefreshable() {
            given(
                            started(Visibility.USER),
                            new CallbackAccepted(ID, "state-a"),
                            new ConnectionEstablished(ID, tokens(ACCESS_1, null, t0.plusSeconds(10)), null))
                    .when(new RefreshToken(ID, AHEAD, false, LEASE))
                    .expectNoEvents()
                    .expectResultMessagePayloadMatching(
                            Matchers.predicate(p -> p instanceof RefreshDecision.NotRefreshable));
            given(started(Visibility.USER))
                    .when(new RefreshToken(ID, AHEAD, true, LEASE))
                    .expectNoEvents()
                    .expectResultMessagePayloadMatching(
                            Matchers.predicate(p -> p instanceof RefreshDecision.NotRefreshable));
        }

        @Test
        void refreshOutcomeIsRecordedAndReleasesTheLease() {
            TokenSet fresh = tokens(ACCESS_2, REFRESH_2, t0.plusSeconds(3600));
            given(active(Visibility.USER, t0.plusSeconds(30)))
                    .andGiven(new RefreshStarted(ID, t0.plus(LEASE)))
                    .when(new RecordRefresh(ID, 3, fresh))
                    .expectEvents(new TokensRefreshed(ID, 3, fresh))
                    .expectState(c ->
                            assertThat(c).extracting("refreshLeaseExpiresAt").isNull());
        }

        @Test
        void refreshKeepsOldRefreshTokenWhenProviderOmitsIt() {
            given(active(Visibility.USER, t0.plusSeconds(30)))
                    .andGiven(new RefreshStarted(ID, t0.plus(LEASE)))
                    .when(new RecordRefresh(ID, 3, tokens(ACCESS_2, null, t0.plusSeconds(3600))))
                    .expectEvents(new TokensRefreshed(ID, 3, tokens(ACCESS_2, REFRESH_1, t0.plusSeconds(3600))));
        }

        @Test
        void refreshOutcomeDecidedBeforeANewerGrantIsRefused() {
            given(active(Visibility.USER, t0.plusSeconds(30)))
                    .andGiven(
                            new RefreshStarted(ID, t0.plus(LEASE)), // seq 3
                            new ReconnectStarted(ID, ALICE, pending("state-b", "browser-a")),
                            new CallbackAccepted(ID, "state-b"),
                            new ConnectionEstablished(ID, tokens(ACCESS_2, REFRESH_2, t0.plusSeconds(3600)), null))
                    .when(new RecordRefresh(ID, 3, tokens(new Sealed("k1", "late"), null, t0.plusSeconds(3600))))
                    .expectException(StaleOutcomeException.class)
                    .expectNoEvents();
        }

        @Test
        void invalidGrantMakesTheConnectionAuthFailed() {
            given(active(Visibility.USER, t0.plusSeconds(30)))
                    .andGiven(new RefreshStarted(ID, t0.plus(LEASE)))
                    .when(new RecordRefreshFailure(ID, 3, FailureKind.GRANT_REVOKED, "invalid_grant", null))
                    .expectEvents(
                            new RefreshFailed(ID, 3, FailureKind.GRANT_REVOKED, "invalid_grant", null),
                            new ConnectionAuthFailed(ID, "invalid_grant", t0))
                    .expectState(c -> assertThat(c).extracting("status").isEqualTo(ConnectionStatus.AUTH_FAILED));
        }

        @Test
        void invalidGrantArrivingAfterANewerTokenWasRecordedDoesNotFailTheConnection() {
            // a lease expired (seq 3), another node refreshed under a new lease (seq 4, tokens at 5);
            // the first node's invalid_grant for its old refresh token arrives last: refused, it records nothing
            Object[] history = {
                new RefreshStarted(ID, t0.plus(LEASE)),
                new RefreshStarted(ID, t0.plus(LEASE).plus(LEASE)),
                new TokensRefreshed(ID, 4, tokens(ACCESS_2, REFRESH_2, t0.plusSeconds(3600)))
            };
            given(active(Visibility.USER, t0.plusSeconds(30)))
                    .andGiven(history)
                    .when(new RecordRefreshFailure(ID, 3, FailureKind.GRANT_REVOKED, "invalid_grant", null))
                    .expectException(StaleOutcomeException.class)
                    .expectNoEvents();
            // still active: it refreshes with the newer refresh token
            given(active(Visibility.USER, t0.plusSeconds(30)))
                    .andGiven(history)
                    .andGivenCurrentTime(t0.plus(Connection.FORCED_REFRESH_SPACING)) // past the forced-refresh spacing
                    .when(new RefreshToken(ID, AHEAD, true, LEASE))
                    .expectResultMessagePayload(new RefreshDecision.Proceed(6, REFRESH_2, List.of("read")));
        }

        @Test
        void transientFailureKeepsTheConnectionAndDefersTheNextRefresh() {
            Instant retryAfter = t0.plusSeconds(20);
            given(active(Visibility.USER, t0.plusSeconds(30)))
                    .andGiven(
                            new RefreshStarted(ID, t0.plus(LEASE)),
                            new RefreshFailed(ID, 3, FailureKind.TRANSIENT, "http-503", retryAfter))
                    .when(new RefreshToken(ID, AHEAD, false, LEASE))
                    .expectNoEvents()
                    .expectResultMessagePayload(new RefreshDecision.Deferred(retryAfter));
        }

        @Test
        void clientMisconfigurationDoesNotFailThePersonsConnection() {
            given(active(Visibility.USER, t0.plusSeconds(30)))
                    .andGiven(new RefreshStarted(ID, t0.plus(LEASE)))
                    .when(new RecordRefreshFailure(ID, 3, FailureKind.CLIENT_MISCONFIGURED, "invalid_client", null))
                    .expectEvents(new RefreshFailed(
                            ID,
                            3,
                            FailureKind.CLIENT_MISCONFIGURED,
                            "invalid_client",
                            t0.plus(RefreshBackoff.after(ID, 1))))
                    .expectState(c -> assertThat(c).extracting("status").isEqualTo(ConnectionStatus.ACTIVE));
        }
    }

    /** Refreshes are paced by the aggregate, so the pace holds across nodes (issue 11, item 7). */
    @Nested
    class PacingRefreshes {

        /** Active, with {@code failures} transient failures without Retry-After recorded, each answering its decision. */
        Object[] failedTimes(int failures) {
            List<Object> history = new ArrayList<>(List.of(active(Visibility.USER, t0.plusSeconds(30))));
            for (int i = 0; i < failures; i++) {
                long decidedAt = 3 + 2L * i;
                history.add(new RefreshStarted(ID, t0.plus(LEASE)));
                history.add(new RefreshFailed(ID, decidedAt, FailureKind.TRANSIENT, "timeout", t0));
            }
            return history.toArray();
        }

        @Test
        void aTransientFailureWithoutRetryAfterBacksOffAndTheBackoffGrowsWithConsecutiveFailures() {
            for (int failures = 0; failures < 14; failures++) {
                Duration expected = RefreshBackoff.after(ID, failures + 1);
                long decidedAt = 3 + 2L * failures;
                given(failedTimes(failures))
                        .andGiven(new RefreshStarted(ID, t0.plus(LEASE)))
                        .when(new RecordRefreshFailure(ID, decidedAt, FailureKind.TRANSIENT, "timeout", null))
                        .expectEvents(
                                new RefreshFailed(ID, decidedAt, FailureKind.TRANSIENT, "timeout", t0.plus(expected)))
                        .expectResultMessagePayload(t0.plus(expected));
            }
        }

        @Test
        void theBackoffIsJitteredDoublesAndIsCappedAtAnHour() {
            Duration previousCeiling = Duration.ZERO;
            for (int failures = 1; failures <= 30; failures++) {
                Duration ceiling = RefreshBackoff.FIRST.multipliedBy(1L << Math.min(failures - 1, 20));
                ceiling = ceiling.compareTo(RefreshBackoff.MAX) > 0 ? RefreshBackoff.MAX : ceiling;
                Duration delay = RefreshBackoff.after(ID, failures);
                assertThat(delay).isBetween(ceiling.dividedBy(2), ceiling);
                assertThat(ceiling).isGreaterThanOrEqualTo(previousCeiling);
                previousCeiling = ceiling;
            }
            assertThat(RefreshBackoff.after(ID, 1)).isBetween(Duration.ofMillis(2500), Duration.ofSeconds(5));
            assertThat(RefreshBackoff.after(ID, 40)).isLessThanOrEqualTo(Duration.ofHours(1));
            // connections failing together spread out
            assertThat(java.util.stream.IntStream.range(0, 50)
                            .mapToObj(i -> RefreshBackoff.after(
                                    ConnectionId.of(java.util
                                            .UUID
                                            .nameUUIDFromBytes(new byte[] {(byte) i})
                                            .toString()),
                                    3))
                            .distinct()
                            .count())
                    .isGreaterThan(40);
        }

        @Test
        void aProvidersRetryAfterIsHonouredUpToAnHour() {
            given(active(Visibility.USER, t0.plusSeconds(30)))
                    .andGiven(new RefreshStarted(ID, t0.plus(LEASE)))
                    .when(new RecordRefreshFailure(ID, 3, FailureKind.TRANSIENT, "http-429", t0.plusSeconds(120)))
                    .expectEvents(new RefreshFailed(ID, 3, FailureKind.TRANSIENT, "http-429", t0.plusSeconds(120)));
            given(active(Visibility.USER, t0.plusSeconds(30)))
                    .andGiven(new RefreshStarted(ID, t0.plus(LEASE)))
                    .when(new RecordRefreshFailure(
                            ID, 3, FailureKind.TRANSIENT, "http-429", t0.plus(Duration.ofDays(9))))
                    .expectEvents(
                            new RefreshFailed(ID, 3, FailureKind.TRANSIENT, "http-429", t0.plus(Duration.ofHours(1))));
        }

        @Test
        void recordedTokensEndTheRunOfFailures() {
            given(failedTimes(6))
                    .andGiven(
                            new RefreshStarted(ID, t0.plus(LEASE)), // 15
                            new TokensRefreshed(ID, 15, tokens(ACCESS_2, REFRESH_2, t0.plusSeconds(30))),
                            new RefreshStarted(ID, t0.plus(LEASE))) // 17
                    .when(new RecordRefreshFailure(ID, 17, FailureKind.TRANSIENT, "timeout", null))
                    .expectEvents(new RefreshFailed(
                            ID, 17, FailureKind.TRANSIENT, "timeout", t0.plus(RefreshBackoff.after(ID, 1))));
        }

        @Test
        void aForcedRefreshWithinTenSecondsOfTheLastDecisionIsThrottled() {
            Object[] answered = {
                new RefreshStarted(ID, t0.plus(LEASE)),
                new TokensRefreshed(ID, 3, tokens(ACCESS_2, REFRESH_2, t0.plusSeconds(3600)))
            };
            given(active(Visibility.USER, t0.plusSeconds(3600)))
                    .andGiven(answered)
                    .andGivenCurrentTime(t0.plusSeconds(9))
                    .when(new RefreshToken(ID, AHEAD, true, LEASE))
                    .expectNoEvents()
                    .expectResultMessagePayload(new RefreshDecision.Throttled(t0.plusSeconds(10)));
            given(active(Visibility.USER, t0.plusSeconds(3600)))
                    .andGiven(answered)
                    .andGivenCurrentTime(t0.plusSeconds(10))
                    .when(new RefreshToken(ID, AHEAD, true, LEASE))
                    .expectEvents(new RefreshStarted(ID, t0.plusSeconds(10).plus(LEASE)));
        }

        @Test
        void aForcedRefreshSharesARefreshInFlightRatherThanBeingThrottled() {
            given(active(Visibility.USER, t0.plusSeconds(3600)))
                    .andGiven(new RefreshStarted(ID, t0.plus(LEASE)))
                    .andGivenCurrentTime(t0.plusSeconds(1))
                    .when(new RefreshToken(ID, AHEAD, true, LEASE))
                    .expectResultMessagePayload(new RefreshDecision.InFlight(t0.plus(LEASE)));
        }

        @Test
        void theFirstForcedRefreshAndUnforcedOnesAreNotThrottled() {
            given(active(Visibility.USER, t0.plusSeconds(3600)))
                    .when(new RefreshToken(ID, AHEAD, true, LEASE))
                    .expectEvents(new RefreshStarted(ID, t0.plus(LEASE)));
            given(active(Visibility.USER, t0.plusSeconds(30)))
                    .andGiven(
                            new RefreshStarted(ID, t0.plus(LEASE)),
                            new TokensRefreshed(ID, 3, tokens(ACCESS_2, REFRESH_2, t0.plusSeconds(50))))
                    .andGivenCurrentTime(t0.plusSeconds(1))
                    .when(new RefreshToken(ID, AHEAD, false, LEASE))
                    .expectEvents(new RefreshStarted(ID, t0.plusSeconds(1).plus(LEASE)));
        }
    }

    /**
     * A logic function's access token failed at the provider ({@code failedAccessToken}): the refresh names the tokens
     * it failed with, by the sequence number of the event that recorded them (the ConnectionEstablished at 2 here).
     */
    @Nested
    class RefreshingAFailedToken {

        @Test
        void tokensReplacedSinceNeedNoRefresh() {
            given(active(Visibility.USER, t0.plusSeconds(3600)))
                    .andGiven(
                            new RefreshStarted(ID, t0.plus(LEASE)),
                            new TokensRefreshed(ID, 3, tokens(ACCESS_2, REFRESH_2, t0.plusSeconds(3600))))
                    .andGivenCurrentTime(t0.plusSeconds(60))
                    .when(new RefreshToken(ID, AHEAD, true, LEASE, 2L, true))
                    .expectNoEvents()
                    .expectResultMessagePayload(new RefreshDecision.NotNeeded());
        }

        @Test
        void theCurrentTokensAreRefreshedThoughFreshAndNotThrottled() {
            given(active(Visibility.USER, t0.plusSeconds(3600)))
                    .when(new RefreshToken(ID, AHEAD, true, LEASE, 2L, true))
                    .expectEvents(new RefreshStarted(ID, t0.plus(LEASE)));
            // two seconds after a forced refresh, which throttles other forced ones for ten
            given(active(Visibility.USER, t0.plusSeconds(3600)))
                    .andGiven(
                            new RefreshStarted(ID, t0.plus(LEASE)),
                            new TokensRefreshed(ID, 3, tokens(ACCESS_2, REFRESH_2, t0.plusSeconds(3600))))
                    .andGivenCurrentTime(t0.plusSeconds(2))
                    .when(new RefreshToken(ID, AHEAD, true, LEASE, 4L, true))
                    .expectEvents(new RefreshStarted(ID, t0.plusSeconds(2).plus(LEASE)));
        }

        @Test
        void anUnforcedRefreshOfTokensReplacedSinceIsNotNeededHoweverSoonTheNewOnesAreDue() {
            // the scheduler read the row before another node refreshed it; the new token is due within its ahead
            given(active(Visibility.USER, t0.plusSeconds(30)))
                    .andGiven(
                            new RefreshStarted(ID, t0.plus(LEASE)),
                            new TokensRefreshed(ID, 3, tokens(ACCESS_2, REFRESH_2, t0.plusSeconds(65))))
                    .andGivenCurrentTime(t0.plusSeconds(1))
                    .when(new RefreshToken(ID, Duration.ofSeconds(90), false, LEASE, 2L, false))
                    .expectNoEvents()
                    .expectResultMessagePayload(new RefreshDecision.NotNeeded());
            // the tokens it means are still current: refreshed
            given(active(Visibility.USER, t0.plusSeconds(30)))
                    .when(new RefreshToken(ID, Duration.ofSeconds(90), false, LEASE, 2L, false))
                    .expectEvents(new RefreshStarted(ID, t0.plus(LEASE)));
        }

        @Test
        void aRefreshInFlightIsSharedAndABackedOffProviderIsNotCalled() {
            given(active(Visibility.USER, t0.plusSeconds(3600)))
                    .andGiven(new RefreshStarted(ID, t0.plus(LEASE)))
                    .andGivenCurrentTime(t0.plusSeconds(1))
                    .when(new RefreshToken(ID, AHEAD, true, LEASE, 2L, true))
                    .expectResultMessagePayload(new RefreshDecision.InFlight(t0.plus(LEASE)));
            given(active(Visibility.USER, t0.plusSeconds(3600)))
                    .andGiven(
                            new RefreshStarted(ID, t0.plus(LEASE)),
                            new RefreshFailed(ID, 3, FailureKind.TRANSIENT, "timeout", t0.plusSeconds(30)))
                    .andGivenCurrentTime(t0.plusSeconds(1))
                    .when(new RefreshToken(ID, AHEAD, true, LEASE, 2L, true))
                    .expectNoEvents()
                    .expectResultMessagePayload(new RefreshDecision.Deferred(t0.plusSeconds(30)));
        }
    }

    /** A provider's keep-alive: a grant whose access token never expires is still refreshed by then. */
    @Nested
    class KeepingAGrantAlive {

        TokenSet keptAliveUntil(Instant refreshBy) {
            return new TokenSet(ACCESS_1, REFRESH_1, null, List.of("read"), "Bearer", null, null, refreshBy);
        }

        @Test
        void aTokenWithoutExpiryIsRefreshedByTimeOnlyWhenItsKeepAliveComes() {
            Object[] consented = {started(Visibility.USER), new CallbackAccepted(ID, "state-a")};
            given(consented)
                    .andGiven(new ConnectionEstablished(ID, keptAliveUntil(t0.plus(Duration.ofDays(30))), null))
                    .andGivenCurrentTime(t0.plus(Duration.ofDays(29)))
                    .when(new RefreshToken(ID, AHEAD, false, LEASE))
                    .expectResultMessagePayload(new RefreshDecision.NotNeeded());
            given(consented)
                    .andGiven(new ConnectionEstablished(ID, keptAliveUntil(t0.plus(Duration.ofDays(30))), null))
                    .andGivenCurrentTime(t0.plus(Duration.ofDays(30)).minusSeconds(30))
                    .when(new RefreshToken(ID, AHEAD, false, LEASE))
                    .expectEvents(new RefreshStarted(
                            ID, t0.plus(Duration.ofDays(30)).minusSeconds(30).plus(LEASE)));
            // without either, never by time
            given(consented)
                    .andGiven(new ConnectionEstablished(ID, keptAliveUntil(null), null))
                    .andGivenCurrentTime(t0.plus(Duration.ofDays(3650)))
                    .when(new RefreshToken(ID, AHEAD, false, LEASE))
                    .expectResultMessagePayload(new RefreshDecision.NotNeeded());
        }
    }

    /** Recording retries through database blips; a retry of an outcome that was in fact stored must not be refused. */
    @Nested
    class RecordingTwice {

        final TokenSet fresh = tokens(ACCESS_2, REFRESH_2, t0.plusSeconds(3600));

        @Test
        void theSameOutcomeSentAgainIsANoOp() {
            given(active(Visibility.USER, t0.plusSeconds(30)))
                    .andGiven(new RefreshStarted(ID, t0.plus(LEASE)), new TokensRefreshed(ID, 3, fresh))
                    .when(new RecordRefresh(ID, 3, fresh))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
            // also after a newer decision started spending those very tokens
            given(active(Visibility.USER, t0.plusSeconds(30)))
                    .andGiven(
                            new RefreshStarted(ID, t0.plus(LEASE)),
                            new TokensRefreshed(ID, 3, fresh),
                            new RefreshStarted(ID, t0.plus(LEASE)))
                    .when(new RecordRefresh(ID, 3, fresh))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void aDifferentOutcomeForAnAnsweredDecisionIsStillRefused() {
            given(active(Visibility.USER, t0.plusSeconds(30)))
                    .andGiven(new RefreshStarted(ID, t0.plus(LEASE)), new TokensRefreshed(ID, 3, fresh))
                    .when(new RecordRefresh(ID, 3, tokens(new Sealed("k1", "other"), REFRESH_2, null)))
                    .expectException(StaleOutcomeException.class);
        }
    }

    /**
     * Each refresh outcome answers the open decision it quotes; seq 3 is the first RefreshStarted. A refused outcome
     * applies no event, so what it leaves is the given history: the follow-up command on that history shows it.
     */
    @Nested
    class FencingRefreshOutcomes {

        final TokenSet fresh = tokens(ACCESS_2, REFRESH_2, t0.plusSeconds(3600));
        final TokenSet late = tokens(new Sealed("k1", "access-late"), new Sealed("k1", "refresh-late"), null);
        final Instant takenOverLease = t0.plus(LEASE).plus(LEASE);

        /** Active, a refresh decided at 3 whose lease expired, taken over by a refresh decided at 4. */
        Object[] takenOver(Object... after) {
            List<Object> history = new ArrayList<>(List.of(active(Visibility.USER, t0.plusSeconds(30))));
            history.add(new RefreshStarted(ID, t0.plus(LEASE)));
            history.add(new RefreshStarted(ID, takenOverLease));
            history.addAll(List.of(after));
            return history.toArray();
        }

        void refused(Object[] history, Object outcome) {
            given(history)
                    .when(outcome)
                    .expectException(StaleOutcomeException.class)
                    .expectNoEvents();
        }

        @Test
        void lateRefreshAfterTakeoverIsRefusedAndLeavesNewerLease() {
            refused(takenOver(), new RecordRefresh(ID, 3, late));
            given(takenOver())
                    .when(new RefreshToken(ID, AHEAD, true, LEASE))
                    .expectNoEvents()
                    .expectResultMessagePayload(new RefreshDecision.InFlight(takenOverLease));
        }

        @Test
        void outcomeOfTheDecisionThatTookOverIsRecorded() {
            given(takenOver())
                    .when(new RecordRefresh(ID, 4, fresh))
                    .expectEvents(new TokensRefreshed(ID, 4, fresh))
                    .expectState(c ->
                            assertThat(c).extracting("refreshLeaseExpiresAt").isNull());
        }

        @Test
        void lateRefreshAfterTheTakeoverWasRecordedLeavesTheNewerTokens() {
            Object[] history = takenOver(new TokensRefreshed(ID, 4, fresh));
            refused(history, new RecordRefresh(ID, 3, late));
            given(history)
                    .andGivenCurrentTime(t0.plus(Connection.FORCED_REFRESH_SPACING)) // past the forced-refresh spacing
                    .when(new RefreshToken(ID, AHEAD, true, LEASE))
                    .expectResultMessagePayload(new RefreshDecision.Proceed(6, REFRESH_2, List.of("read")));
        }

        @Test
        void lateFailureAfterTakeoverIsRefusedAndLeavesNewerLease() {
            refused(takenOver(), new RecordRefreshFailure(ID, 3, FailureKind.GRANT_REVOKED, "invalid_grant", null));
            refused(takenOver(), new RecordRefreshFailure(ID, 3, FailureKind.TRANSIENT, "timeout", null));
            given(takenOver())
                    .when(new RefreshToken(ID, AHEAD, true, LEASE))
                    .expectResultMessagePayload(new RefreshDecision.InFlight(takenOverLease));
        }

        @Test
        void lateFailureAfterTakeoverLeavesTheNewerDecisionsRetryAfter() {
            Instant retryAfter = t0.plusSeconds(20);
            Object[] history = takenOver(new RefreshFailed(ID, 4, FailureKind.TRANSIENT, "http-429", retryAfter));
            refused(history, new RecordRefreshFailure(ID, 3, FailureKind.TRANSIENT, "http-503", null));
            given(history)
                    .when(new RefreshToken(ID, AHEAD, false, LEASE))
                    .expectResultMessagePayload(new RefreshDecision.Deferred(retryAfter));
        }

        @Test
        void lateRefreshAfterTheTakeoverFailedTheGrantLeavesTheConnectionAuthFailed() {
            Object[] history = takenOver(
                    new RefreshFailed(ID, 4, FailureKind.GRANT_REVOKED, "invalid_grant", null),
                    new ConnectionAuthFailed(ID, "invalid_grant", t0));
            refused(history, new RecordRefresh(ID, 3, late));
            given(history)
                    .when(new RefreshToken(ID, AHEAD, true, LEASE))
                    .expectResultMessagePayloadMatching(
                            Matchers.predicate(p -> p instanceof RefreshDecision.NotRefreshable n
                                    && n.status() == ConnectionStatus.AUTH_FAILED));
        }

        @Test
        void outcomeOfADecisionOvertakenByAnAuthFailureIsRefused() {
            // a logic function reported the token rejected (seq 4) while the refresh decided at 3 was in flight
            Object[] history = {
                started(Visibility.USER),
                new CallbackAccepted(ID, "state-a"),
                new ConnectionEstablished(ID, tokens(ACCESS_1, REFRESH_1, t0.plusSeconds(30)), null),
                new RefreshStarted(ID, t0.plus(LEASE)),
                new ConnectionAuthFailed(ID, "reported", t0)
            };
            refused(history, new RecordRefresh(ID, 3, late));
            refused(history, new RecordRefreshFailure(ID, 3, FailureKind.TRANSIENT, "http-503", t0.plusSeconds(20)));
        }

        @Test
        void anAnsweredDecisionTakesNoSecondOutcome() {
            List<Object> answers = List.of(
                    new TokensRefreshed(ID, 3, fresh),
                    new RefreshFailed(ID, 3, FailureKind.TRANSIENT, "timeout", null));
            List<Object> outcomes = List.of(
                    new RecordRefresh(ID, 3, late),
                    new RecordRefreshFailure(ID, 3, FailureKind.GRANT_REVOKED, "invalid_grant", null));
            for (Object answer : answers) {
                Object[] history = {
                    started(Visibility.USER),
                    new CallbackAccepted(ID, "state-a"),
                    new ConnectionEstablished(ID, tokens(ACCESS_1, REFRESH_1, t0.plusSeconds(30)), null),
                    new RefreshStarted(ID, t0.plus(LEASE)),
                    answer
                };
                for (Object outcome : outcomes) {
                    refused(history, outcome);
                }
            }
        }

        @Test
        void refreshFailureDecidedBeforeANewerGrantIsRefused() {
            Object[] history = {
                started(Visibility.USER),
                new CallbackAccepted(ID, "state-a"),
                new ConnectionEstablished(ID, tokens(ACCESS_1, REFRESH_1, t0.plusSeconds(30)), null),
                new RefreshStarted(ID, t0.plus(LEASE)), // seq 3
                new ReconnectStarted(ID, ALICE, pending("state-b", "browser-a")),
                new CallbackAccepted(ID, "state-b"),
                new ConnectionEstablished(ID, fresh, null)
            };
            refused(
                    history,
                    new RecordRefreshFailure(ID, 3, FailureKind.GRANT_REVOKED, "invalid_grant", t0.plusSeconds(20)));
            given(history)
                    .andGivenCurrentTime(t0.plus(Connection.FORCED_REFRESH_SPACING)) // past the forced-refresh spacing
                    .when(new RefreshToken(ID, AHEAD, true, LEASE))
                    .expectResultMessagePayload(new RefreshDecision.Proceed(7, REFRESH_2, List.of("read")));
        }

        @Test
        void refreshOutcomeDecidedBeforeTheReconnectOfAnAuthFailedConnectionIsRefused() {
            Object[] history = {
                started(Visibility.USER),
                new CallbackAccepted(ID, "state-a"),
                new ConnectionEstablished(ID, tokens(ACCESS_1, REFRESH_1, t0.plusSeconds(30)), null),
                new RefreshStarted(ID, t0.plus(LEASE)), // seq 3
                new ConnectionAuthFailed(ID, "reported", t0),
                new ReconnectStarted(ID, ALICE, pending("state-b", "browser-a")),
                new CallbackAccepted(ID, "state-b"),
                new ConnectionEstablished(ID, fresh, null)
            };
            refused(history, new RecordRefresh(ID, 3, late));
        }

        @Test
        void refreshOutcomeIsRecordedWhileAReconnectIsStillPending() {
            // the old grant stays current until the reconnect's callback establishes a new one
            given(active(Visibility.USER, t0.plusSeconds(30)))
                    .andGiven(
                            new RefreshStarted(ID, t0.plus(LEASE)),
                            new ReconnectStarted(ID, ALICE, pending("state-b", "browser-a")))
                    .when(new RecordRefresh(ID, 3, fresh))
                    .expectEvents(new TokensRefreshed(ID, 3, fresh));
        }

        @Test
        void outcomeOfAnExpiredLeaseThatNoOneTookOverIsRecorded() {
            given(active(Visibility.USER, t0.plusSeconds(30)))
                    .andGiven(new RefreshStarted(ID, t0.plus(LEASE)))
                    .andGivenCurrentTime(t0.plus(LEASE).plusSeconds(60))
                    .when(new RecordRefresh(ID, 3, fresh))
                    .expectEvents(new TokensRefreshed(ID, 3, fresh))
                    .expectState(c ->
                            assertThat(c).extracting("refreshLeaseExpiresAt").isNull());
            given(active(Visibility.USER, t0.plusSeconds(30)))
                    .andGiven(new RefreshStarted(ID, t0.plus(LEASE)))
                    .andGivenCurrentTime(t0.plus(LEASE).plusSeconds(60))
                    .when(new RecordRefreshFailure(ID, 3, FailureKind.TRANSIENT, "timeout", null))
                    .expectEvents(new RefreshFailed(
                            ID,
                            3,
                            FailureKind.TRANSIENT,
                            "timeout",
                            t0.plus(LEASE).plusSeconds(60).plus(RefreshBackoff.after(ID, 1))));
        }

        @Test
        void outcomeQuotingNoRefreshDecisionIsRefused() {
            Object[] decided = {
                started(Visibility.USER),
                new CallbackAccepted(ID, "state-a"),
                new ConnectionEstablished(ID, tokens(ACCESS_1, REFRESH_1, t0.plusSeconds(30)), null),
                new RefreshStarted(ID, t0.plus(LEASE))
            };
            for (long decidedAt : new long[] {-1, 2, 4}) {
                refused(decided, new RecordRefresh(ID, decidedAt, late));
            }
            refused(
                    active(Visibility.USER, t0.plusSeconds(30)),
                    new RecordRefreshFailure(ID, 2, FailureKind.TRANSIENT, "timeout", null));
        }
    }

    @Nested
    class ReportingAuthFailure {

        @Test
        void aReportAboutTheCurrentTokenFailsTheConnection() {
            Instant expiresAt = t0.plusSeconds(3600);
            given(active(Visibility.USER, expiresAt))
                    .when(new ReportAuthFailure(ID, "401 from the API", expiresAt))
                    .expectEvents(new ConnectionAuthFailed(ID, "401 from the API", t0))
                    .expectResultMessagePayload(true);
        }

        @Test
        void aReportIsIgnoredWhenTheConnectionWasRefreshedAfterTheTokenWasHandedOut() {
            Instant oldExpiry = t0.plusSeconds(30);
            given(active(Visibility.USER, oldExpiry))
                    .andGiven(
                            new RefreshStarted(ID, t0.plus(LEASE)),
                            new TokensRefreshed(ID, 3, tokens(ACCESS_2, REFRESH_2, t0.plusSeconds(3600))))
                    .when(new ReportAuthFailure(ID, "401 from the API", oldExpiry))
                    .expectNoEvents()
                    .expectResultMessagePayload(false);
        }

        @Test
        void aReasonWithControlCharactersIsRefusedButTabAndNewlineAreKept() {
            given(active(Visibility.USER, t0.plusSeconds(3600)))
                    .when(new ReportAuthFailure(ID, "401\u0000", null))
                    .expectException(InvalidConnectionValueException.class)
                    .expectNoEvents();
            given(active(Visibility.USER, t0.plusSeconds(3600)))
                    .when(new ReportAuthFailure(ID, "401\u007f", null))
                    .expectException(InvalidConnectionValueException.class)
                    .expectNoEvents();
            given(active(Visibility.USER, t0.plusSeconds(3600)))
                    .when(new ReportAuthFailure(ID, "401\n\tfrom the API", null))
                    .expectEvents(new ConnectionAuthFailed(ID, "401\n\tfrom the API", t0));
        }

        @Test
        void aTooLongReasonIsRefused() {
            given(active(Visibility.USER, t0.plusSeconds(3600)))
                    .when(new ReportAuthFailure(ID, "x".repeat(1001), null))
                    .expectException(InvalidConnectionValueException.class)
                    .expectNoEvents();
        }
    }

    @Nested
    class RenamingAndVisibility {

        @Test
        void ownerRenames() {
            given(active(Visibility.USER, t0.plusSeconds(3600)))
                    .when(new RenameConnection(ID, ALICE, "Work Linear"))
                    .expectEvents(new ConnectionRenamed(ID, "Work Linear"));
        }

        @Test
        void anotherMemberCannotRenameAPrivateConnection() {
            given(active(Visibility.USER, t0.plusSeconds(3600)))
                    .when(new RenameConnection(ID, BOB, "Mine now"))
                    .expectException(NotPermittedException.class)
                    .expectNoEvents();
        }

        @Test
        void renamingToTheSameNameChangesNothing() {
            given(active(Visibility.USER, t0.plusSeconds(3600)))
                    .when(new RenameConnection(ID, ALICE, "Linear #1"))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void aNameWithControlCharactersIsRefused() {
            for (String name : List.of("Work\u0000", "Work\tLinear", "Work\nLinear", "Work\u007f")) {
                given(active(Visibility.USER, t0.plusSeconds(3600)))
                        .when(new RenameConnection(ID, ALICE, name))
                        .expectException(InvalidConnectionValueException.class)
                        .expectNoEvents();
            }
            fixture.givenNoPriorActivity()
                    .when(new StartAuthorization(
                            ID, WORKSPACE, APP, LINEAR, ALICE, Visibility.USER, "Linear\u0000", pending("s", "b")))
                    .expectException(InvalidConnectionValueException.class)
                    .expectNoEvents();
        }

        @Test
        void anUpdateStoresTheNewNameAndVisibilityTogether() {
            given(active(Visibility.USER, t0.plusSeconds(3600)))
                    .when(new UpdateConnection(ID, ALICE, "Work Linear", Visibility.WORKSPACE))
                    .expectEvents(
                            new ConnectionRenamed(ID, "Work Linear"), new VisibilityChanged(ID, Visibility.WORKSPACE));
        }

        @Test
        void anUpdateWhoseVisibilityChangeIsRefusedStoresNoRenameEither() {
            // a member may rename a shared connection, but only its owner changes its visibility
            given(active(Visibility.WORKSPACE, t0.plusSeconds(3600)))
                    .when(new UpdateConnection(ID, BOB, "Bob's now", Visibility.USER))
                    .expectException(NotPermittedException.class)
                    .expectNoEvents();
        }

        @Test
        void anUpdateWhoseNameIsRefusedStoresNoVisibilityChangeEither() {
            given(active(Visibility.USER, t0.plusSeconds(3600)))
                    .when(new UpdateConnection(ID, ALICE, "x".repeat(201), Visibility.WORKSPACE))
                    .expectException(InvalidConnectionValueException.class)
                    .expectNoEvents();
            given(active(Visibility.USER, t0.plusSeconds(3600)))
                    .when(new UpdateConnection(ID, ALICE, "Work\u0000", Visibility.WORKSPACE))
                    .expectException(InvalidConnectionValueException.class)
                    .expectNoEvents();
        }

        @Test
        void anUpdateByAnotherMemberOfAPrivateConnectionIsRefused() {
            given(active(Visibility.USER, t0.plusSeconds(3600)))
                    .when(new UpdateConnection(ID, BOB, "Mine now", null))
                    .expectException(NotPermittedException.class)
                    .expectNoEvents();
        }

        @Test
        void anUpdateThatChangesNothingStoresNothing() {
            given(active(Visibility.USER, t0.plusSeconds(3600)))
                    .when(new UpdateConnection(ID, ALICE, "Linear #1", Visibility.USER))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void ownerSharesWithTheWorkspace() {
            given(active(Visibility.USER, t0.plusSeconds(3600)))
                    .when(new ChangeVisibility(ID, ALICE, Visibility.WORKSPACE))
                    .expectEvents(new VisibilityChanged(ID, Visibility.WORKSPACE));
        }

        @Test
        void onlyTheOwnerChangesVisibility() {
            given(active(Visibility.WORKSPACE, t0.plusSeconds(3600)))
                    .when(new ChangeVisibility(ID, BOB, Visibility.USER))
                    .expectException(NotPermittedException.class)
                    .expectNoEvents();
        }
    }

    @Nested
    class Revoking {

        @Test
        void revokeDecidesFirstAndAnswersTheSealedTokensToRevoke() {
            given(active(Visibility.USER, t0.plusSeconds(3600)))
                    .when(new Revoke(ID, ALICE))
                    .expectEvents(new RevocationStarted(ID))
                    .expectResultMessagePayload(new RevocationDecision(3, REFRESH_1, ACCESS_1));
        }

        @Test
        void recordRevocationRecordsWhatTheProviderAnswered() {
            given(active(Visibility.USER, t0.plusSeconds(3600)))
                    .andGiven(new RevocationStarted(ID))
                    .when(new RecordRevocation(ID, 3, RevocationOutcome.REVOKED, RevocationOutcome.FAILED))
                    .expectEvents(new ConnectionRevoked(ID, RevocationOutcome.REVOKED, RevocationOutcome.FAILED));
        }

        @Test
        void aPendingConnectionHasNoTokensToRevoke() {
            given(started(Visibility.USER))
                    .when(new Revoke(ID, ALICE))
                    .expectEvents(new RevocationStarted(ID))
                    .expectResultMessagePayload(new RevocationDecision(1, null, null));
        }

        @Test
        void anotherMemberCannotRevokeAPrivateConnectionButTheSystemCan() {
            given(active(Visibility.USER, t0.plusSeconds(3600)))
                    .when(new Revoke(ID, BOB))
                    .expectException(NotPermittedException.class)
                    .expectNoEvents();
            given(active(Visibility.USER, t0.plusSeconds(3600)))
                    .when(new Revoke(ID, null))
                    .expectEvents(new RevocationStarted(ID));
        }

        @Test
        void noRefreshIsDecidedOnceADisconnectIsDecided() {
            given(active(Visibility.USER, t0.plusSeconds(30)))
                    .andGiven(new RevocationStarted(ID))
                    .when(new RefreshToken(ID, AHEAD, true, LEASE))
                    .expectNoEvents()
                    .expectResultMessagePayloadMatching(
                            Matchers.predicate(decision -> decision instanceof RefreshDecision.NotRefreshable));
        }

        @Test
        void aRevocationOutcomeIsRefusedWhenTokensWereRecordedAfterItsDecision() {
            // a refresh decided before the disconnect lands after it: those new tokens were not revoked yet
            given(active(Visibility.USER, t0.plusSeconds(30)))
                    .andGiven(
                            new RefreshStarted(ID, t0.plus(LEASE)),
                            new RevocationStarted(ID),
                            new TokensRefreshed(ID, 3, tokens(ACCESS_2, REFRESH_2, t0.plusSeconds(3600))))
                    .when(new RecordRevocation(ID, 4, RevocationOutcome.REVOKED, RevocationOutcome.REVOKED))
                    .expectException(StaleOutcomeException.class)
                    .expectNoEvents();
        }

        @Test
        void aRevocationOutcomeAnswersOnlyTheLatestDecision() {
            given(active(Visibility.USER, t0.plusSeconds(3600)))
                    .andGiven(new RevocationStarted(ID), new RevocationStarted(ID))
                    .when(new RecordRevocation(ID, 3, RevocationOutcome.REVOKED, RevocationOutcome.REVOKED))
                    .expectException(StaleOutcomeException.class)
                    .expectNoEvents();
        }

        @Test
        void aDisconnectThatWasNeverRecordedCanBeDecidedAgain() {
            given(active(Visibility.USER, t0.plusSeconds(3600)))
                    .andGiven(new RevocationStarted(ID))
                    .when(new Revoke(ID, ALICE))
                    .expectEvents(new RevocationStarted(ID))
                    .expectResultMessagePayload(new RevocationDecision(4, REFRESH_1, ACCESS_1));
        }

        @Test
        void everyCommandAfterRevokeIsRefused() {
            Object[] history = {
                started(Visibility.USER),
                new CallbackAccepted(ID, "state-a"),
                new ConnectionEstablished(ID, tokens(ACCESS_1, REFRESH_1, t0.plusSeconds(30)), null),
                new RefreshStarted(ID, t0.plus(LEASE)),
                new ConnectionRevoked(ID, RevocationOutcome.REVOKED, RevocationOutcome.REVOKED)
            };
            List<Object> commands = List.of(
                    new StartReconnect(ID, ALICE, pending("state-b", "browser-a")),
                    new CompleteCallback(ID, "state-a", "browser-a"),
                    new DenyAuthorization(ID, "state-a", "browser-a", "access_denied"),
                    new RecordCodeExchange(ID, 1, tokens(ACCESS_2, REFRESH_2, null), null),
                    new RecordCodeExchangeFailure(ID, 1, FailureKind.TRANSIENT, "timeout"),
                    new RefreshToken(ID, AHEAD, true, LEASE),
                    new RecordRefresh(ID, 3, tokens(ACCESS_2, REFRESH_2, null)),
                    new RecordRefreshFailure(ID, 3, FailureKind.GRANT_REVOKED, "invalid_grant", null),
                    new ReportAuthFailure(ID, "401", null),
                    new RenameConnection(ID, ALICE, "New name"),
                    new ChangeVisibility(ID, ALICE, Visibility.WORKSPACE),
                    new UpdateConnection(ID, ALICE, "New name", Visibility.WORKSPACE),
                    new Revoke(ID, ALICE),
                    new RecordRevocation(ID, 3, RevocationOutcome.REVOKED, RevocationOutcome.REVOKED));
            for (Object command : commands) {
                given(history)
                        .when(command)
                        .expectException(ConnectionRevokedException.class)
                        .expectNoEvents();
            }
        }
    }
}
