package dev.latchkey.app.flow;

import dev.latchkey.app.config.LatchkeyProperties;
import dev.latchkey.app.crypto.ConnectionSecrets;
import dev.latchkey.app.provider.ProviderClients;
import dev.latchkey.app.provider.ProviderNotReadyException;
import dev.latchkey.app.readmodel.ReadYourWrites;
import dev.latchkey.app.writemodel.Actor;
import dev.latchkey.app.writemodel.CommandSender;
import dev.latchkey.domain.connection.ConnectionRevokedException;
import dev.latchkey.domain.connection.ConnectionStatus;
import dev.latchkey.domain.connection.FailureKind;
import dev.latchkey.domain.connection.RecordRefresh;
import dev.latchkey.domain.connection.RecordRefreshFailure;
import dev.latchkey.domain.connection.RefreshDecision;
import dev.latchkey.domain.connection.RefreshToken;
import dev.latchkey.domain.connection.StaleOutcomeException;
import dev.latchkey.domain.connection.TokenSet;
import dev.latchkey.domain.provider.ExchangeFailure;
import dev.latchkey.domain.provider.ExchangeResult;
import dev.latchkey.domain.provider.ProviderClient;
import dev.latchkey.domain.provider.ProviderExchange;
import dev.latchkey.domain.provider.TokenGrant;
import dev.latchkey.domain.secret.Secret;
import dev.latchkey.domain.secret.SecretField;
import dev.latchkey.query.connection.ConnectionRow;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Refreshes a connection's tokens: decide (the aggregate records a lease), exchange (the provider, outside any
 * transaction), record (the outcome, against the decision). Callers in this JVM asking for the same connection
 * share one attempt; callers on other nodes find the lease and wait for its outcome. A grant the aggregate refuses
 * to record (its decision was taken over, or the connection was revoked meanwhile) is revoked at the provider, so no
 * live token is left that Latchkey does not hold. Recording is retried through database errors for
 * {@link RefreshBudget#recordRetry()}, and the provider is called only while the lease still covers that
 * ({@link RefreshBudget#exchangeStartBy}): a grant that still cannot be recorded is revoked too.
 */
@Component
public class TokenRefresher {

    private static final Logger log = LoggerFactory.getLogger(TokenRefresher.class);
    private static final Duration FIRST_POLL = Duration.ofMillis(20);
    private static final Duration MAX_POLL = Duration.ofMillis(250);

    private final CommandSender commands;
    private final ProviderExchange exchange;
    private final ProviderClients clients;
    private final ConnectionSecrets secrets;
    private final ReadYourWrites readYourWrites;
    private final Clock clock;
    private final RefreshBudget budget;
    private final Duration refreshAhead;
    private final Duration lease;
    private final Map<RefreshKey, CompletableFuture<RefreshOutcome>> inFlight = new ConcurrentHashMap<>();
    private final MeterRegistry meters;

    public TokenRefresher(
            CommandSender commands,
            ProviderExchange exchange,
            ProviderClients clients,
            ConnectionSecrets secrets,
            ReadYourWrites readYourWrites,
            Clock clock,
            LatchkeyProperties properties,
            RefreshBudget budget,
            MeterRegistry meters) {
        this.commands = commands;
        this.exchange = exchange;
        this.clients = clients;
        this.secrets = secrets;
        this.readYourWrites = readYourWrites;
        this.clock = clock;
        this.budget = budget;
        this.refreshAhead = properties.refreshAhead();
        this.lease = properties.refreshLease();
        this.meters = meters;
    }

    /**
     * @param tokensAt the tokens meant (the sequence that recorded them), or null
     * @param tokensFailed whether their access token failed at the provider
     */
    private record RefreshKey(
            String connectionId, boolean force, Duration refreshAhead, Long tokensAt, boolean tokensFailed) {}

    /**
     * Refreshes when the access token expires within the refresh-ahead window, or always when {@code force}, and
     * returns once the outcome is visible to reads.
     */
    public RefreshOutcome refresh(ConnectionTarget target, boolean force, Actor actor) {
        return awaited(
                target,
                attempt(
                        new RefreshKey(target.connectionId().value(), force, refreshAhead, null, false),
                        target,
                        actor));
    }

    /**
     * A caller's access token failed at the provider ({@code failedAccessToken}). When the connection holds another
     * token already (the view's row), nothing is refreshed: the caller reads that one. Otherwise the tokens it failed
     * with are refreshed, once for every caller naming them: in this JVM by sharing the attempt, across nodes by the
     * aggregate, which answers "not needed" once they were replaced. Such a refresh is not throttled, but a provider
     * backing off is not called. Returns once the outcome is visible to reads.
     */
    public RefreshOutcome refreshFailedToken(ConnectionRow row, Secret failedAccessToken, Actor actor) {
        ConnectionTarget target = ConnectionTarget.of(row);
        Long failedTokensAt = row.refresh().tokensRecordedAt();
        if (row.tokens() == null || failedTokensAt == null) {
            return refresh(target, true, actor); // nothing to compare with: an ordinary forced refresh
        }
        Secret current = secrets.unseal(
                target.workspaceId(),
                target.connectionId(),
                SecretField.ACCESS_TOKEN,
                row.tokens().accessToken());
        if (!sameToken(current, failedAccessToken)) {
            return new RefreshOutcome.NotNeeded(); // the caller failed with an older token: the row holds a newer one
        }
        return awaited(
                target,
                attempt(
                        new RefreshKey(target.connectionId().value(), true, refreshAhead, failedTokensAt, true),
                        target,
                        actor));
    }

    private static boolean sameToken(Secret a, Secret b) {
        return MessageDigest.isEqual(
                a.reveal().getBytes(StandardCharsets.UTF_8), b.reveal().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Waits for the views to show the outcome. A caller asks because its view showed the token due (or failed): when
     * the aggregate finds it fresh, someone refreshed it a moment ago and that view is behind, so it is waited for too
     * (otherwise the caller hands out the token just replaced).
     */
    private RefreshOutcome awaited(ConnectionTarget target, RefreshOutcome outcome) {
        if (!(outcome instanceof RefreshOutcome.Throttled)) {
            readYourWrites.awaitConnection(target.connectionId());
        }
        return outcome;
    }

    /**
     * Refreshes the tokens recorded at {@code tokensAt} (the scheduler's view of them) when they are due within
     * {@code ahead}, for nobody waiting to read the answer: returns once the outcome is recorded, without waiting for
     * the views to show it. Tokens replaced since are not refreshed again, however soon the new ones are due.
     */
    public RefreshOutcome refreshInBackground(ConnectionTarget target, Long tokensAt, Duration ahead, Actor actor) {
        return attempt(new RefreshKey(target.connectionId().value(), false, ahead, tokensAt, false), target, actor);
    }

    /** One attempt per key in this JVM: a caller asking while one is in flight shares its outcome. */
    private RefreshOutcome attempt(RefreshKey key, ConnectionTarget target, Actor actor) {
        CompletableFuture<RefreshOutcome> mine = new CompletableFuture<>();
        CompletableFuture<RefreshOutcome> shared = inFlight.putIfAbsent(key, mine);
        if (shared != null) {
            try {
                return shared.join();
            } catch (CompletionException e) {
                // the attempt's own failure, as its owner got it: the web answers each kind as it should
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
        try {
            RefreshOutcome outcome = decideExchangeRecord(target, key, actor);
            count(outcome.getClass().getSimpleName());
            mine.complete(outcome);
            return outcome;
        } catch (RuntimeException e) {
            count("Error");
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    /**
     * {@code latchkey_refresh_total{outcome}}: one per attempt (callers sharing one count once), by outcome:
     * {@code refreshed}, {@code not-needed}, {@code throttled}, {@code unavailable} (transient, backing off),
     * {@code auth-failed}, {@code not-refreshable}, {@code error} (could not be recorded).
     */
    private void count(String outcomeType) {
        String outcome = outcomeType.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
        meters.counter("latchkey.refresh", "outcome", outcome).increment();
    }

    private RefreshOutcome decideExchangeRecord(ConnectionTarget target, RefreshKey key, Actor actor) {
        Duration poll = FIRST_POLL;
        boolean waited = false;
        while (true) {
            // after waiting for another node's refresh, only refresh again if its result is not fresh either (for a
            // failed token: if it did not replace the failed one)
            Instant decisionSent = clock.instant();
            boolean forced = (key.force() && !waited) || key.tokensFailed();
            RefreshDecision decision = commands.send(
                    new RefreshToken(
                            target.connectionId(),
                            key.refreshAhead(),
                            forced,
                            lease,
                            key.tokensAt(),
                            key.tokensFailed()),
                    actor);
            if (decision instanceof RefreshDecision.Proceed proceed) {
                return exchangeAndRecord(target, proceed, budget.exchangeStartBy(decisionSent), actor);
            }
            if (decision instanceof RefreshDecision.Throttled throttled) {
                return new RefreshOutcome.Throttled(throttled.retryAt());
            }
            if (decision instanceof RefreshDecision.InFlight) {
                waited = true;
                LockSupport.parkNanos(poll.toNanos());
                poll = poll.multipliedBy(2).compareTo(MAX_POLL) > 0 ? MAX_POLL : poll.multipliedBy(2);
                continue;
            }
            if (decision instanceof RefreshDecision.NotNeeded) {
                // after waiting, another node refreshed
                return waited ? new RefreshOutcome.Refreshed() : new RefreshOutcome.NotNeeded();
            }
            if (decision instanceof RefreshDecision.Deferred deferred) {
                return new RefreshOutcome.Unavailable("provider asked to retry later", deferred.retryAfter());
            }
            RefreshDecision.NotRefreshable not = (RefreshDecision.NotRefreshable) decision;
            return not.status() == ConnectionStatus.AUTH_FAILED
                    ? new RefreshOutcome.AuthFailed(not.why())
                    : new RefreshOutcome.NotRefreshable(not.why());
        }
    }

    private RefreshOutcome exchangeAndRecord(
            ConnectionTarget target, RefreshDecision.Proceed decision, Instant exchangeStartBy, Actor actor) {
        ProviderClient client;
        try {
            client = clients.forProvider(target.applicationId(), target.providerName());
        } catch (ProviderNotReadyException e) {
            return recordFailure(
                    target, decision, new ExchangeFailure.ClientMisconfigured("client-credentials-unset"), actor);
        }
        Secret refreshToken = secrets.unseal(
                target.workspaceId(), target.connectionId(), SecretField.REFRESH_TOKEN, decision.refreshToken());
        if (clock.instant().isAfter(exchangeStartBy)) {
            // the lease might run out before this refresh's outcome is recorded: another node could then spend the
            // same refresh token, so it is not spent here
            return recordFailure(target, decision, new ExchangeFailure.Transient("refresh-lease-short", null), actor);
        }
        ExchangeResult result = exchange.refresh(client, refreshToken, decision.scopes());
        if (result instanceof TokenGrant grant) {
            return recordGrant(target, decision, client, refreshToken, grant, actor);
        }
        return recordFailure(target, decision, (ExchangeFailure) result, actor);
    }

    private RefreshOutcome recordGrant(
            ConnectionTarget target,
            RefreshDecision.Proceed decision,
            ProviderClient client,
            Secret spentRefreshToken,
            TokenGrant grant,
            Actor actor) {
        // sealed once: a retry sends the same ciphertext, which the aggregate knows when it is stored
        TokenSet[] sealed = {null};
        try {
            RecordingRetry.run(clock, budget.recordRetry(), () -> {
                if (sealed[0] == null) {
                    sealed[0] = secrets.seal(
                            target.workspaceId(),
                            target.connectionId(),
                            grant,
                            decision.scopes(),
                            client.tokenLifetimes());
                }
                return commands.send(new RecordRefresh(target.connectionId(), decision.decidedAt(), sealed[0]), actor);
            });
        } catch (StaleOutcomeException | ConnectionRevokedException e) {
            log.info(
                    "the refresh of connection {} was not recorded ({}); its new tokens are revoked at the provider",
                    target.connectionId(),
                    e instanceof StaleOutcomeException ? "its decision was superseded" : "the connection was revoked");
            revokeUnrecorded(client, spentRefreshToken, grant);
            if (e instanceof ConnectionRevokedException) {
                return new RefreshOutcome.NotRefreshable("the connection was disconnected");
            }
        } catch (RuntimeException e) {
            log.warn(
                    "the refresh of connection {} could not be recorded ({}); its new tokens are revoked at the provider",
                    target.connectionId(),
                    e.getClass().getSimpleName());
            revokeUnrecorded(client, spentRefreshToken, grant);
            throw e;
        }
        return new RefreshOutcome.Refreshed();
    }

    /**
     * A provider that did not rotate the refresh token answered the one the connection still holds: revoking it
     * would end the grant Latchkey keeps, so only new tokens are revoked.
     */
    private void revokeUnrecorded(ProviderClient client, Secret spentRefreshToken, TokenGrant grant) {
        Secret rotated =
                grant.refreshToken() != null && !grant.refreshToken().reveal().equals(spentRefreshToken.reveal())
                        ? grant.refreshToken()
                        : null;
        exchange.revoke(client, rotated, grant.accessToken());
    }

    private RefreshOutcome recordFailure(
            ConnectionTarget target, RefreshDecision.Proceed decision, ExchangeFailure failure, Actor actor) {
        Instant retryAfter = failure instanceof ExchangeFailure.Transient t && t.retryAfter() != null
                ? clock.instant().plus(t.retryAfter())
                : null;
        log.info(
                "refresh of connection {} failed: {} ({})",
                target.connectionId(),
                failure.kind().wire(),
                failure.reason());
        try {
            Instant deferredUntil = commands.send(
                    new RecordRefreshFailure(
                            target.connectionId(), decision.decidedAt(), failure.kind(), failure.reason(), retryAfter),
                    actor);
            if (deferredUntil != null) {
                retryAfter = deferredUntil; // the aggregate's backoff when the provider named no Retry-After
            }
        } catch (StaleOutcomeException e) {
            // a newer decision governs the connection now; this attempt's failure is only answered to its caller
            log.info("the failed refresh of connection {} was superseded", target.connectionId());
        }
        return failure.kind() == FailureKind.GRANT_REVOKED
                ? new RefreshOutcome.AuthFailed(failure.reason())
                : new RefreshOutcome.Unavailable(failure.reason(), retryAfter);
    }
}
