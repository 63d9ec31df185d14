package dev.latchkey.app.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.latchkey.app.config.LatchkeyProperties;
import dev.latchkey.app.crypto.ConnectionSecrets;
import dev.latchkey.app.provider.ProviderClients;
import dev.latchkey.app.provider.ProviderNotReadyException;
import dev.latchkey.app.readmodel.ReadYourWrites;
import dev.latchkey.app.writemodel.Actor;
import dev.latchkey.app.writemodel.CommandSender;
import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.application.ProviderName;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.ConnectionRevokedException;
import dev.latchkey.domain.connection.ConnectionStatus;
import dev.latchkey.domain.connection.FailureKind;
import dev.latchkey.domain.connection.RecordRefresh;
import dev.latchkey.domain.connection.RecordRefreshFailure;
import dev.latchkey.domain.connection.RefreshDecision;
import dev.latchkey.domain.connection.RefreshToken;
import dev.latchkey.domain.connection.StaleOutcomeException;
import dev.latchkey.domain.connection.TokenSet;
import dev.latchkey.domain.connection.WorkspaceId;
import dev.latchkey.domain.provider.ExchangeFailure;
import dev.latchkey.domain.provider.ProviderClient;
import dev.latchkey.domain.provider.ProviderExchange;
import dev.latchkey.domain.provider.TokenGrant;
import dev.latchkey.domain.secret.Sealed;
import dev.latchkey.domain.secret.Secret;
import dev.latchkey.domain.secret.SecretField;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.CannotCreateTransactionException;

/** The refresh flow's order of steps and what it does with each outcome, with the ports as test doubles. */
class TokenRefresherTest {

    static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    static final ConnectionTarget TARGET = new ConnectionTarget(
            ConnectionId.of("6f1c1c9e-0c52-4f5e-9d0a-6ad0f4f3c2a1"),
            WorkspaceId.of("ws-1"),
            ApplicationId.of("b6f1a2c4-3d5e-4f60-8a7b-9c0d1e2f3a4b"),
            ProviderName.of("linear"));
    static final Actor ACTOR = Actor.system("test", TARGET.workspaceId());
    static final Sealed SEALED_REFRESH = new Sealed("k1", "sealed-refresh");
    static final Secret OLD_REFRESH = Secret.of("old-refresh");
    static final TokenSet SEALED_GRANT =
            new TokenSet(new Sealed("k1", "a"), new Sealed("k1", "r"), NOW.plusSeconds(3600), List.of(), null, null);

    final CommandSender commands = mock(CommandSender.class);
    final ProviderExchange exchange = mock(ProviderExchange.class);
    final ProviderClients clients = mock(ProviderClients.class);
    final ConnectionSecrets secrets = mock(ConnectionSecrets.class);
    final ReadYourWrites readYourWrites = mock(ReadYourWrites.class);
    final ProviderClient client = mock(ProviderClient.class);
    static final LatchkeyProperties PROPERTIES = new LatchkeyProperties(
            URI.create("http://localhost:8080"),
            null,
            false,
            Duration.ofSeconds(60),
            java.nio.file.Path.of("./data"),
            null,
            Duration.ofSeconds(75),
            Duration.ofSeconds(3),
            Duration.ofSeconds(10),
            Duration.ofSeconds(30),
            Duration.ofSeconds(10),
            32);

    static final Duration POOL_WAIT = Duration.ofSeconds(30);
    static final Duration LEASE = PROPERTIES.refreshLease();

    /** A clock the test moves; starts at {@link #NOW}. */
    static final class MovingClock extends Clock {
        volatile Instant now = NOW;

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    final MovingClock clock = new MovingClock();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final TokenRefresher refresher = new TokenRefresher(
            commands,
            exchange,
            clients,
            secrets,
            readYourWrites,
            clock,
            PROPERTIES,
            new RefreshBudget(PROPERTIES, POOL_WAIT),
            meters);

    static RuntimeException poolExhausted() {
        return new CannotCreateTransactionException(
                "Could not open JDBC Connection for transaction",
                new SQLTransientConnectionException("latchkey - Connection is not available, request timed out"));
    }

    void decides(RefreshDecision first, RefreshDecision... then) {
        when(commands.<RefreshDecision>send(any(RefreshToken.class), eq(ACTOR))).thenReturn(first, then);
        when(clients.forProvider(TARGET.applicationId(), TARGET.providerName())).thenReturn(client);
        when(secrets.unseal(TARGET.workspaceId(), TARGET.connectionId(), SecretField.REFRESH_TOKEN, SEALED_REFRESH))
                .thenReturn(OLD_REFRESH);
        when(secrets.seal(eq(TARGET.workspaceId()), eq(TARGET.connectionId()), any(TokenGrant.class), any(), any()))
                .thenReturn(SEALED_GRANT);
    }

    static RefreshDecision.Proceed proceed(long decidedAt) {
        return new RefreshDecision.Proceed(decidedAt, SEALED_REFRESH, List.of("read"));
    }

    static TokenGrant grant(String refreshToken) {
        return new TokenGrant(
                Secret.of("new-access"),
                refreshToken == null ? null : Secret.of(refreshToken),
                Duration.ofHours(1),
                null,
                "Bearer",
                null);
    }

    @Test
    void aDecidedRefreshIsExchangedAndRecordedAgainstItsDecisionThenAwaitedByReads() {
        decides(proceed(7));
        when(exchange.refresh(client, OLD_REFRESH, List.of("read"))).thenReturn(grant("new-refresh"));

        RefreshOutcome outcome = refresher.refresh(TARGET, false, ACTOR);

        assertThat(outcome).isInstanceOf(RefreshOutcome.Refreshed.class);
        verify(commands).send(new RecordRefresh(TARGET.connectionId(), 7, SEALED_GRANT), ACTOR);
        verify(readYourWrites).awaitConnection(TARGET.connectionId());
        verify(exchange, never()).revoke(any(), any(), any());
        assertThat(meters.counter("latchkey.refresh", "outcome", "refreshed").count())
                .isEqualTo(1.0);
    }

    @Test
    void aBackgroundRefreshIsRecordedWithoutWaitingForTheViews() {
        decides(proceed(7));
        when(exchange.refresh(client, OLD_REFRESH, List.of("read"))).thenReturn(grant("new-refresh"));

        RefreshOutcome outcome = refresher.refreshInBackground(TARGET, 2L, Duration.ofSeconds(90), ACTOR);

        assertThat(outcome).isInstanceOf(RefreshOutcome.Refreshed.class);
        verify(commands)
                .send(new RefreshToken(TARGET.connectionId(), Duration.ofSeconds(90), false, LEASE, 2L, false), ACTOR);
        verify(commands).send(new RecordRefresh(TARGET.connectionId(), 7, SEALED_GRANT), ACTOR);
        verify(readYourWrites, never()).awaitConnection(any());
    }

    @Test
    void aReadWhoseTokenWasJustRefreshedByAnotherCallerWaitsForTheViewToShowIt() {
        decides(new RefreshDecision.NotNeeded());

        assertThat(refresher.refresh(TARGET, false, ACTOR)).isInstanceOf(RefreshOutcome.NotNeeded.class);

        verify(readYourWrites).awaitConnection(TARGET.connectionId());
        verify(exchange, never()).refresh(any(), any(), any());
    }

    @Test
    void aRefusedGrantIsRevokedAtTheProviderSoNoLiveTokenIsLeftBehind() {
        decides(proceed(7));
        when(exchange.refresh(client, OLD_REFRESH, List.of("read"))).thenReturn(grant("rotated-refresh"));
        when(commands.send(any(RecordRefresh.class), eq(ACTOR))).thenThrow(new StaleOutcomeException("taken over"));

        refresher.refresh(TARGET, false, ACTOR);

        verify(exchange)
                .revoke(
                        eq(client),
                        argThat(token -> token.reveal().equals("rotated-refresh")),
                        argThat(token -> token.reveal().equals("new-access")));
    }

    @Test
    void aRefusedGrantThatKeptTheRefreshTokenRevokesOnlyTheNewAccessToken() {
        decides(proceed(7));
        when(exchange.refresh(client, OLD_REFRESH, List.of("read"))).thenReturn(grant("old-refresh"));
        when(commands.send(any(RecordRefresh.class), eq(ACTOR)))
                .thenThrow(new ConnectionRevokedException(TARGET.connectionId()));

        RefreshOutcome outcome = refresher.refresh(TARGET, false, ACTOR);

        assertThat(outcome).isInstanceOf(RefreshOutcome.NotRefreshable.class);
        verify(exchange)
                .revoke(eq(client), isNull(), argThat(token -> token.reveal().equals("new-access")));
    }

    @Test
    void aDeadGrantIsRecordedAndAnsweredAuthFailed() {
        decides(proceed(7));
        when(exchange.refresh(client, OLD_REFRESH, List.of("read")))
                .thenReturn(new ExchangeFailure.GrantRevoked("invalid_grant"));

        RefreshOutcome outcome = refresher.refresh(TARGET, true, ACTOR);

        assertThat(outcome).isInstanceOf(RefreshOutcome.AuthFailed.class);
        verify(commands)
                .send(
                        new RecordRefreshFailure(
                                TARGET.connectionId(), 7, FailureKind.GRANT_REVOKED, "invalid_grant", null),
                        ACTOR);
        assertThat(meters.counter("latchkey.refresh", "outcome", "auth-failed").count())
                .isEqualTo(1.0);
    }

    @Test
    void aTransientFailureRecordsWhenTheProviderAskedToBeCalledAgain() {
        decides(proceed(7));
        when(exchange.refresh(client, OLD_REFRESH, List.of("read")))
                .thenReturn(new ExchangeFailure.Transient("http-503", Duration.ofSeconds(120)));

        RefreshOutcome outcome = refresher.refresh(TARGET, true, ACTOR);

        assertThat(outcome).isEqualTo(new RefreshOutcome.Unavailable("http-503", NOW.plusSeconds(120)));
        verify(commands)
                .send(
                        new RecordRefreshFailure(
                                TARGET.connectionId(), 7, FailureKind.TRANSIENT, "http-503", NOW.plusSeconds(120)),
                        ACTOR);
    }

    @Test
    void aSupersededFailureIsAnsweredToItsCallerWithoutFailingTheFlow() {
        decides(proceed(7));
        when(exchange.refresh(client, OLD_REFRESH, List.of("read")))
                .thenReturn(new ExchangeFailure.Transient("timeout", null));
        when(commands.send(any(RecordRefreshFailure.class), eq(ACTOR)))
                .thenThrow(new StaleOutcomeException("taken over"));

        assertThat(refresher.refresh(TARGET, true, ACTOR)).isInstanceOf(RefreshOutcome.Unavailable.class);
    }

    @Test
    void anUnsetOAuthClientIsRecordedAsMisconfiguredWithoutCallingTheProvider() {
        decides(proceed(7));
        when(clients.forProvider(TARGET.applicationId(), TARGET.providerName()))
                .thenThrow(new ProviderNotReadyException("unset"));

        refresher.refresh(TARGET, true, ACTOR);

        verify(exchange, never()).refresh(any(), any(), any());
        verify(commands)
                .send(
                        new RecordRefreshFailure(
                                TARGET.connectionId(),
                                7,
                                FailureKind.CLIENT_MISCONFIGURED,
                                "client-credentials-unset",
                                null),
                        ACTOR);
    }

    @Test
    void aRefreshInFlightElsewhereIsWaitedForAndNotRepeated() {
        decides(new RefreshDecision.InFlight(NOW.plusSeconds(30)), new RefreshDecision.NotNeeded());

        RefreshOutcome outcome = refresher.refresh(TARGET, true, ACTOR);

        assertThat(outcome).isInstanceOf(RefreshOutcome.Refreshed.class);
        verify(exchange, never()).refresh(any(), any(), any());
        // forced only on the first decision: after waiting, a fresh result is enough
        verify(commands).send(new RefreshToken(TARGET.connectionId(), Duration.ofSeconds(60), true, LEASE), ACTOR);
        verify(commands).send(new RefreshToken(TARGET.connectionId(), Duration.ofSeconds(60), false, LEASE), ACTOR);
    }

    @Test
    void anAuthFailedConnectionIsNotRefreshed() {
        decides(new RefreshDecision.NotRefreshable(ConnectionStatus.AUTH_FAILED, "the connection is auth-failed"));

        assertThat(refresher.refresh(TARGET, false, ACTOR)).isInstanceOf(RefreshOutcome.AuthFailed.class);
        verify(exchange, never()).refresh(any(), any(), any());
    }

    @Test
    void callersInOneJvmShareOneAttempt() throws Exception {
        decides(proceed(7));
        CountDownLatch exchanging = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        when(exchange.refresh(client, OLD_REFRESH, List.of("read"))).thenAnswer(call -> {
            exchanging.countDown();
            assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
            return grant("new-refresh");
        });

        CompletableFuture<RefreshOutcome> first =
                CompletableFuture.supplyAsync(() -> refresher.refresh(TARGET, false, ACTOR));
        assertThat(exchanging.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<RefreshOutcome> second = new CompletableFuture<>();
        Thread joiner = new Thread(() -> second.complete(refresher.refresh(TARGET, false, ACTOR)));
        joiner.start();
        // the second caller parks on the first one's attempt before that attempt may finish
        await().atMost(Duration.ofSeconds(10)).until(() -> joiner.getState() == Thread.State.WAITING);
        release.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isInstanceOf(RefreshOutcome.Refreshed.class);
        assertThat(second.get(10, TimeUnit.SECONDS)).isInstanceOf(RefreshOutcome.Refreshed.class);
        verify(exchange, times(1)).refresh(any(), any(), any());
    }

    @Test
    void aCallerSharingAnAttemptThatFailedGetsTheFailureItself() throws Exception {
        decides(proceed(7));
        CountDownLatch exchanging = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        when(exchange.refresh(client, OLD_REFRESH, List.of("read"))).thenAnswer(call -> {
            exchanging.countDown();
            assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
            return grant("new-refresh");
        });
        // PostgreSQL went away for good while the provider answered
        when(commands.send(any(RecordRefresh.class), eq(ACTOR))).thenAnswer(call -> {
            clock.advance(Duration.ofMinutes(1));
            throw poolExhausted();
        });

        CompletableFuture<Throwable> first = CompletableFuture.supplyAsync(() -> failureOf(ACTOR));
        assertThat(exchanging.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Throwable> second = new CompletableFuture<>();
        Thread joiner = new Thread(() -> second.complete(failureOf(ACTOR)));
        joiner.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> joiner.getState() == Thread.State.WAITING);
        release.countDown();

        // what the web answers 503 database-unavailable for, not a CompletionException it answers 500 for
        assertThat(first.get(10, TimeUnit.SECONDS)).isInstanceOf(CannotCreateTransactionException.class);
        assertThat(second.get(10, TimeUnit.SECONDS)).isInstanceOf(CannotCreateTransactionException.class);
    }

    private Throwable failureOf(Actor actor) {
        try {
            refresher.refresh(TARGET, false, actor);
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    // issue 11, item 2: a token the provider handed out is never dropped

    @Test
    void recordingIsRetriedThroughADatabaseBlipAndTheSameSealedGrantRecorded() {
        decides(proceed(7));
        when(exchange.refresh(client, OLD_REFRESH, List.of("read"))).thenReturn(grant("rotated-refresh"));
        when(commands.send(any(RecordRefresh.class), eq(ACTOR)))
                .thenThrow(poolExhausted())
                .thenThrow(new ConcurrencyException("a sixth collision"))
                .thenReturn(null);

        assertThat(refresher.refresh(TARGET, false, ACTOR)).isInstanceOf(RefreshOutcome.Refreshed.class);

        verify(commands, times(3)).send(new RecordRefresh(TARGET.connectionId(), 7, SEALED_GRANT), ACTOR);
        verify(secrets, times(1))
                .seal(eq(TARGET.workspaceId()), eq(TARGET.connectionId()), any(TokenGrant.class), any(), any());
        verify(exchange, never()).revoke(any(), any(), any());
    }

    @Test
    void aGrantThatCannotBeRecordedWithinTheRetryBudgetIsRevokedAtTheProvider() {
        decides(proceed(7));
        when(exchange.refresh(client, OLD_REFRESH, List.of("read"))).thenReturn(grant("rotated-refresh"));
        when(commands.send(any(RecordRefresh.class), eq(ACTOR))).thenAnswer(call -> {
            clock.advance(POOL_WAIT.dividedBy(10)); // each attempt waits for the pool, then fails
            throw poolExhausted();
        });

        assertThatThrownBy(() -> refresher.refresh(TARGET, false, ACTOR))
                .isInstanceOf(CannotCreateTransactionException.class);

        verify(exchange)
                .revoke(
                        eq(client),
                        argThat(token -> token.reveal().equals("rotated-refresh")),
                        argThat(token -> token.reveal().equals("new-access")));
        // attempts start only within the budget, counted from the provider's answer
        assertThat(clock.instant())
                .isBefore(NOW.plus(PROPERTIES.refreshRecordRetry()).plus(POOL_WAIT));
    }

    @Test
    void aGrantThatCannotBeSealedIsRevokedNotDropped() {
        decides(proceed(7));
        when(exchange.refresh(client, OLD_REFRESH, List.of("read"))).thenReturn(grant("rotated-refresh"));
        when(secrets.seal(eq(TARGET.workspaceId()), eq(TARGET.connectionId()), any(TokenGrant.class), any(), any()))
                .thenThrow(new java.time.DateTimeException("instant exceeds maximum"));

        assertThatThrownBy(() -> refresher.refresh(TARGET, false, ACTOR))
                .isInstanceOf(java.time.DateTimeException.class);

        verify(exchange).revoke(eq(client), argThat(token -> token.reveal().equals("rotated-refresh")), any());
        verify(commands, never()).send(any(RecordRefresh.class), any());
    }

    // issue 11, item 4: the lease outlives every wait the refresh can meet

    @Test
    void theProviderIsNotCalledWhenPreparingTheExchangeAteIntoTheLease() {
        decides(proceed(7));
        // unsealing waited out the pool twice: the lease no longer covers exchange + recording + a pool wait
        when(secrets.unseal(TARGET.workspaceId(), TARGET.connectionId(), SecretField.REFRESH_TOKEN, SEALED_REFRESH))
                .thenAnswer(call -> {
                    clock.advance(Duration.ofSeconds(11));
                    return OLD_REFRESH;
                });

        RefreshOutcome outcome = refresher.refresh(TARGET, false, ACTOR);

        assertThat(outcome).isInstanceOf(RefreshOutcome.Unavailable.class);
        verify(exchange, never()).refresh(any(), any(), any());
        verify(commands)
                .send(
                        new RecordRefreshFailure(
                                TARGET.connectionId(), 7, FailureKind.TRANSIENT, "refresh-lease-short", null),
                        ACTOR);
    }

    @Test
    void aLeaseShorterThanTheWaitsOfARefreshIsRefused() {
        assertThatThrownBy(() -> new RefreshBudget(PROPERTIES, Duration.ofSeconds(40)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("latchkey.refresh-lease");
    }

    // issue 11, item 7: no retry storms

    @Test
    void aTransientFailureWithoutRetryAfterAnswersTheAggregatesBackoff() {
        decides(proceed(7));
        when(exchange.refresh(client, OLD_REFRESH, List.of("read")))
                .thenReturn(new ExchangeFailure.Transient("timeout", null));
        when(commands.send(any(RecordRefreshFailure.class), eq(ACTOR))).thenReturn(NOW.plusSeconds(4));

        assertThat(refresher.refresh(TARGET, true, ACTOR))
                .isEqualTo(new RefreshOutcome.Unavailable("timeout", NOW.plusSeconds(4)));
    }

    @Test
    void aThrottledForcedRefreshIsAnsweredWithItsRetryTime() {
        decides(new RefreshDecision.Throttled(NOW.plusSeconds(7)));

        assertThat(refresher.refresh(TARGET, true, ACTOR)).isEqualTo(new RefreshOutcome.Throttled(NOW.plusSeconds(7)));
        verify(exchange, never()).refresh(any(), any(), any());
    }
}
