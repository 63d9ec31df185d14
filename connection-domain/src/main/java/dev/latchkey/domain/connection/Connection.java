package dev.latchkey.domain.connection;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import dev.latchkey.domain.ControlCharacters;
import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.application.ProviderName;
import dev.latchkey.domain.connection.AuthorizationStateRejected.Reason;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.serialization.Revision;

/**
 * One set of credentials one member holds for one provider of one application.
 *
 * <p>Command handlers decide and apply; event sourcing handlers only assign. Provider exchanges happen outside:
 * a decision ({@link CallbackAccepted}, {@link RefreshStarted}) is an event whose sequence number the outcome
 * command must quote, so a late outcome is recorded against what it was decided on, or refused.
 *
 * <p>A refresh outcome ({@link RecordRefresh}, {@link RecordRefreshFailure}) is recorded only for the open refresh
 * decision: the last {@link RefreshStarted}, not yet answered, made after the last {@link ConnectionEstablished}, on a
 * connection that is still active. Anything else (taken over by a newer decision, answered already, decided on an
 * older grant, or overtaken by {@link ConnectionAuthFailed}) is refused with {@link StaleOutcomeException}, so a late
 * outcome never lays older tokens over newer ones, never revives an auth-failed connection, never changes the
 * {@code retryAfter} of a newer decision and never releases a newer lease. An expired lease that nobody took over
 * still accepts its outcome. A refused late grant is not kept: the caller revokes its tokens at the provider (see
 * {@link StaleOutcomeException}).
 *
 * <p>Refreshes are paced here, so the pace holds on every node: a forced refresh within
 * {@link #FORCED_REFRESH_SPACING} of the last refresh decision is {@link RefreshDecision.Throttled}; a failure that
 * keeps the connection defers unforced refreshes until the provider's {@code Retry-After} or, when it named none,
 * for a {@link RefreshBackoff} that grows with the consecutive failures.
 *
 * <p>Snapshots serialize these fields as they are: change a field, bump the {@link Revision}, and older snapshots are
 * ignored (the aggregate is sourced from its events again).
 */
@Revision("3")
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY)
public class Connection {

    /** The longest connection name, and the longest failure reason kept (API.md's text limits). */
    public static final int MAX_NAME = 200;

    public static final int MAX_REASON = 1000;

    /** Forced refreshes of one connection closer together than this are throttled (API.md, "Refresh calls"). */
    public static final Duration FORCED_REFRESH_SPACING = Duration.ofSeconds(10);

    @AggregateIdentifier
    private ConnectionId connectionId;

    private WorkspaceId workspaceId;
    private ApplicationId applicationId;
    private ProviderName providerName;
    private UserWorkspaceId owner;
    private Visibility visibility;
    private String name;
    private ConnectionStatus status;

    private PendingAuthorization pending;
    private boolean pendingUsed;
    /** Sequence number of the accepted callback whose code exchange is outstanding, or -1. */
    private long exchangeDecidedAt = -1;

    private TokenSet tokens;
    /** Sequence number of the event that recorded the current tokens. */
    private long tokensRecordedAt = -1;
    /** Sequence number of the last ConnectionEstablished: refreshes decided before it belong to an older grant. */
    private long grantRecordedAt = -1;

    /** Sequence number of the last RefreshStarted. */
    private long refreshDecidedAt = -1;
    /** The lease of {@link #refreshDecidedAt}, or null once that decision was answered or a new grant recorded. */
    private Instant refreshLeaseExpiresAt;
    /** When the last RefreshStarted was decided (its event's timestamp): forced refreshes are spaced from it. */
    private Instant refreshDecidedTime;
    /** The decision the current tokens answer (their TokensRefreshed's decidedAt), or -1: a repeated record is a no-op. */
    private long tokensAnswerDecision = -1;

    private Instant retryAfter;
    /** Failed refreshes (transient or misconfigured) since tokens were last recorded: the backoff grows with them. */
    private int consecutiveFailures;
    /** Sequence number of the RevocationStarted whose outcome is outstanding, or -1. */
    private long revocationDecidedAt = -1;

    protected Connection() {
        // for Axon
    }

    @CommandHandler
    public Connection(StartAuthorization command) {
        String name = requireName(command.name());
        apply(new AuthorizationStarted(
                command.connectionId(),
                command.workspaceId(),
                command.applicationId(),
                command.providerName(),
                command.owner(),
                command.visibility(),
                name,
                command.authorization()));
    }

    @CommandHandler
    public void handle(StartReconnect command) {
        requireNotRevoked();
        requireOwnerOfPrivate(command.requestedBy(), "reconnect");
        apply(new ReconnectStarted(connectionId, command.requestedBy(), command.authorization()));
    }

    @CommandHandler
    public CallbackDecision handle(CompleteCallback command) {
        checkState(command.stateDigest(), command.bindingDigest());
        String returnUrl = pending.returnUrl();
        apply(new CallbackAccepted(connectionId, command.stateDigest()));
        return new CallbackDecision(exchangeDecidedAt, pending.codeVerifier(), returnUrl);
    }

    @CommandHandler
    public String handle(DenyAuthorization command) {
        checkState(command.stateDigest(), command.bindingDigest());
        String returnUrl = pending.returnUrl();
        apply(new CallbackAccepted(connectionId, command.stateDigest()));
        apply(new AuthorizationFailed(connectionId, shorten(command.error()), FailureKind.GRANT_REVOKED));
        return returnUrl;
    }

    @CommandHandler
    public void handle(RecordCodeExchange command) {
        requireExchangeOutstanding(command.decidedAt());
        apply(new ConnectionEstablished(connectionId, command.tokens(), command.handle()));
    }

    @CommandHandler
    public void handle(RecordCodeExchangeFailure command) {
        requireExchangeOutstanding(command.decidedAt());
        apply(new AuthorizationFailed(connectionId, shorten(command.error()), command.kind()));
    }

    @CommandHandler
    public RefreshDecision handle(RefreshToken command) {
        requireNotRevoked();
        Instant now = now();
        if (status != ConnectionStatus.ACTIVE) {
            return new RefreshDecision.NotRefreshable(status, "the connection is " + status.wire());
        }
        if (revocationDecidedAt >= 0) {
            return new RefreshDecision.NotRefreshable(status, "the connection is being disconnected");
        }
        if (tokens.refreshToken() == null) {
            return new RefreshDecision.NotRefreshable(status, "the provider issued no refresh token");
        }
        if (command.tokensAt() != null && command.tokensAt() != tokensRecordedAt) {
            return new RefreshDecision.NotNeeded(); // the tokens the caller means were replaced already
        }
        boolean currentTokenFailed = command.tokensAt() != null && command.tokensFailed();
        if (refreshLeaseExpiresAt != null && now.isBefore(refreshLeaseExpiresAt)) {
            return new RefreshDecision.InFlight(refreshLeaseExpiresAt);
        }
        if (command.force() && !currentTokenFailed && refreshDecidedTime != null) {
            Instant allowedAt = refreshDecidedTime.plus(FORCED_REFRESH_SPACING);
            if (now.isBefore(allowedAt)) {
                return new RefreshDecision.Throttled(allowedAt);
            }
        }
        if (!command.force() && !currentTokenFailed) {
            // the access token's expiry, or the provider's keep-alive when that comes first
            Instant dueAt = tokens.dueAt();
            if (dueAt == null || dueAt.isAfter(now.plus(command.refreshAhead()))) {
                return new RefreshDecision.NotNeeded();
            }
        }
        // a provider that asked to wait (or is backed off) is not called again for a token that merely failed
        if ((!command.force() || currentTokenFailed) && retryAfter != null && now.isBefore(retryAfter)) {
            return new RefreshDecision.Deferred(retryAfter);
        }
        apply(new RefreshStarted(connectionId, now.plus(command.lease())));
        return new RefreshDecision.Proceed(refreshDecidedAt, tokens.refreshToken(), tokens.scopes());
    }

    /**
     * Sending the same outcome again (a retry after a failure that hid a commit) changes nothing and succeeds.
     *
     * @throws StaleOutcomeException when {@code decidedAt} is not the open refresh decision (see the class doc)
     */
    @CommandHandler
    public void handle(RecordRefresh command) {
        requireNotRevoked();
        if (command.decidedAt() == tokensAnswerDecision
                && command.tokens().keepingRefreshTokenOf(tokens).equals(tokens)) {
            return;
        }
        requireRefreshOutstanding(command.decidedAt());
        apply(new TokensRefreshed(
                connectionId, command.decidedAt(), command.tokens().keepingRefreshTokenOf(tokens)));
    }

    /**
     * A failure that leaves the connection active defers the next unforced refresh: until the provider's
     * {@code Retry-After} (at most {@link RefreshBackoff#MAX} away), or by {@link RefreshBackoff} when it named none.
     *
     * @return until when unforced refreshes are deferred, or null (the grant is dead)
     * @throws StaleOutcomeException when {@code decidedAt} is not the open refresh decision (see the class doc)
     */
    @CommandHandler
    public Instant handle(RecordRefreshFailure command) {
        requireRefreshOutstanding(command.decidedAt());
        // the fence guarantees no newer token was recorded since the decision: its refresh token was the current one
        if (command.kind() == FailureKind.GRANT_REVOKED) {
            apply(new RefreshFailed(
                    connectionId, command.decidedAt(), command.kind(), shorten(command.reason()), null));
            apply(new ConnectionAuthFailed(connectionId, shorten(command.reason()), now()));
            return null;
        }
        Instant now = now();
        Instant latest = now.plus(RefreshBackoff.MAX);
        Instant deferUntil = command.retryAfter() != null
                ? (command.retryAfter().isAfter(latest) ? latest : command.retryAfter())
                : now.plus(RefreshBackoff.after(connectionId, consecutiveFailures + 1));
        apply(new RefreshFailed(
                connectionId, command.decidedAt(), command.kind(), shorten(command.reason()), deferUntil));
        return deferUntil;
    }

    /** @return whether the report was taken (false: ignored, the token in question is no longer current) */
    @CommandHandler
    public boolean handle(ReportAuthFailure command) {
        requireNotRevoked();
        if (command.reason() != null && command.reason().length() > MAX_REASON) {
            throw new InvalidConnectionValueException("reason", "must be at most " + MAX_REASON + " characters");
        }
        if (ControlCharacters.inMultiline(command.reason())) {
            throw new InvalidConnectionValueException("reason", ControlCharacters.REFUSED_MULTILINE);
        }
        if (status != ConnectionStatus.ACTIVE) {
            return false;
        }
        Instant reported = command.accessTokenExpiresAt();
        if (reported != null && !reported.equals(tokens.accessTokenExpiresAt())) {
            return false;
        }
        String reason = command.reason() == null || command.reason().isBlank() ? "reported" : command.reason();
        apply(new ConnectionAuthFailed(connectionId, reason, now()));
        return true;
    }

    @CommandHandler
    public void handle(RenameConnection command) {
        requireNotRevoked();
        requireOwnerOfPrivate(command.requestedBy(), "rename");
        String newName = requireName(command.name());
        if (!newName.equals(name)) {
            apply(new ConnectionRenamed(connectionId, newName));
        }
    }

    @CommandHandler
    public void handle(ChangeVisibility command) {
        requireNotRevoked();
        if (!owner.equals(command.requestedBy())) {
            throw new NotPermittedException("only the owner changes a connection's visibility");
        }
        if (command.visibility() == null) {
            throw new InvalidConnectionValueException("visibility", "must be user or workspace");
        }
        if (command.visibility() != visibility) {
            apply(new VisibilityChanged(connectionId, command.visibility()));
        }
    }

    /** Rename and visibility decided together: when either is refused, neither is applied. */
    @CommandHandler
    public void handle(UpdateConnection command) {
        requireNotRevoked();
        String newName = null;
        if (command.name() != null) {
            requireOwnerOfPrivate(command.requestedBy(), "rename");
            newName = requireName(command.name());
        }
        if (command.visibility() != null && !owner.equals(command.requestedBy())) {
            throw new NotPermittedException("only the owner changes a connection's visibility");
        }
        if (newName == null && command.visibility() == null) {
            throw new InvalidConnectionValueException("name", "or visibility must be given");
        }
        if (newName != null && !newName.equals(name)) {
            apply(new ConnectionRenamed(connectionId, newName));
        }
        if (command.visibility() != null && command.visibility() != visibility) {
            apply(new VisibilityChanged(connectionId, command.visibility()));
        }
    }

    @CommandHandler
    public RevocationDecision handle(Revoke command) {
        requireNotRevoked();
        if (command.requestedBy() != null) {
            requireOwnerOfPrivate(command.requestedBy(), "disconnect");
        }
        apply(new RevocationStarted(connectionId));
        return new RevocationDecision(
                revocationDecidedAt,
                tokens == null ? null : tokens.refreshToken(),
                tokens == null ? null : tokens.accessToken());
    }

    @CommandHandler
    public void handle(RecordRevocation command) {
        requireNotRevoked();
        if (command.decidedAt() != revocationDecidedAt) {
            throw new StaleOutcomeException("no revocation was decided at " + command.decidedAt());
        }
        if (tokensRecordedAt > command.decidedAt()) {
            throw new StaleOutcomeException("tokens were recorded after the revocation was decided");
        }
        apply(new ConnectionRevoked(connectionId, command.refreshToken(), command.accessToken()));
    }

    private void checkState(String stateDigest, String bindingDigest) {
        requireNotRevoked();
        if (pending == null || !sameDigest(pending.stateDigest(), stateDigest)) {
            throw new AuthorizationStateRejected(Reason.UNKNOWN);
        }
        if (pendingUsed) {
            throw new AuthorizationStateRejected(Reason.ALREADY_USED);
        }
        if (!now().isBefore(pending.expiresAt())) {
            throw new AuthorizationStateRejected(Reason.EXPIRED);
        }
        if (!sameDigest(pending.bindingDigest(), bindingDigest)) {
            throw new AuthorizationStateRejected(Reason.BINDING_MISMATCH);
        }
    }

    private void requireExchangeOutstanding(long decidedAt) {
        requireNotRevoked();
        if (exchangeDecidedAt != decidedAt) {
            throw new StaleOutcomeException("no code exchange was decided at " + decidedAt);
        }
    }

    /**
     * An outcome answers only the open refresh decision: the last {@link RefreshStarted}, not yet answered, on the
     * current grant, while the connection is active. An expired lease alone does not close it; a takeover does.
     */
    private void requireRefreshOutstanding(long decidedAt) {
        requireNotRevoked();
        if (decidedAt < grantRecordedAt) {
            throw new StaleOutcomeException("a newer grant was recorded after this refresh was decided");
        }
        if (decidedAt != refreshDecidedAt) {
            throw new StaleOutcomeException(
                    decidedAt < refreshDecidedAt
                            ? "the refresh decided at " + decidedAt + " was taken over at " + refreshDecidedAt
                            : "no refresh was decided at " + decidedAt);
        }
        if (refreshLeaseExpiresAt == null) {
            throw new StaleOutcomeException("the refresh decided at " + decidedAt + " was already answered");
        }
        if (status != ConnectionStatus.ACTIVE) {
            throw new StaleOutcomeException(
                    "the connection became " + status.wire() + " after this refresh was decided");
        }
    }

    private void requireNotRevoked() {
        if (status == ConnectionStatus.REVOKED) {
            throw new ConnectionRevokedException(connectionId);
        }
    }

    private void requireOwnerOfPrivate(UserWorkspaceId requestedBy, String action) {
        if (visibility == Visibility.USER && !owner.equals(requestedBy)) {
            throw new NotPermittedException("only the owner may " + action + " a private connection");
        }
    }

    private static String requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new InvalidConnectionValueException("name", "must not be blank");
        }
        if (ControlCharacters.in(name)) {
            throw new InvalidConnectionValueException("name", ControlCharacters.REFUSED);
        }
        String trimmed = name.strip();
        if (trimmed.length() > MAX_NAME) {
            throw new InvalidConnectionValueException("name", "must be at most " + MAX_NAME + " characters");
        }
        return trimmed;
    }

    private static boolean sameDigest(String expected, String given) {
        return given != null
                && MessageDigest.isEqual(
                        expected.getBytes(StandardCharsets.US_ASCII), given.getBytes(StandardCharsets.US_ASCII));
    }

    /** A provider's text is not ours to refuse: kept short, its control characters replaced (never a NUL stored). */
    private static String shorten(String text) {
        if (text == null) {
            return null;
        }
        String kept = text.length() <= MAX_REASON ? text : text.substring(0, MAX_REASON);
        return ControlCharacters.inMultiline(kept) ? ControlCharacters.replacedIn(kept) : kept;
    }

    private static Instant now() {
        return GenericEventMessage.clock.instant();
    }

    @EventSourcingHandler
    void on(AuthorizationStarted event) {
        connectionId = event.connectionId();
        workspaceId = event.workspaceId();
        applicationId = event.applicationId();
        providerName = event.providerName();
        owner = event.owner();
        visibility = event.visibility();
        name = event.name();
        status = ConnectionStatus.PENDING;
        pending = event.authorization();
        pendingUsed = false;
    }

    @EventSourcingHandler
    void on(ReconnectStarted event) {
        pending = event.authorization();
        pendingUsed = false;
        exchangeDecidedAt = -1;
    }

    @EventSourcingHandler
    void on(CallbackAccepted event, @SequenceNumber long sequence) {
        pendingUsed = true;
        exchangeDecidedAt = sequence;
    }

    @EventSourcingHandler
    void on(AuthorizationFailed event) {
        exchangeDecidedAt = -1;
    }

    @EventSourcingHandler
    void on(ConnectionEstablished event, @SequenceNumber long sequence) {
        status = ConnectionStatus.ACTIVE;
        tokens = event.tokens();
        tokensRecordedAt = sequence;
        grantRecordedAt = sequence;
        exchangeDecidedAt = -1;
        refreshLeaseExpiresAt = null;
        retryAfter = null;
        consecutiveFailures = 0;
        tokensAnswerDecision = -1;
    }

    @EventSourcingHandler
    void on(RefreshStarted event, @SequenceNumber long sequence, @Timestamp Instant decidedTime) {
        refreshDecidedAt = sequence;
        refreshLeaseExpiresAt = event.leaseExpiresAt();
        refreshDecidedTime = decidedTime;
    }

    @EventSourcingHandler
    void on(TokensRefreshed event, @SequenceNumber long sequence) {
        status = ConnectionStatus.ACTIVE;
        tokens = event.tokens();
        tokensRecordedAt = sequence;
        tokensAnswerDecision = event.decidedAt();
        retryAfter = null;
        consecutiveFailures = 0;
        releaseLeaseOf(event.decidedAt());
    }

    @EventSourcingHandler
    void on(RefreshFailed event) {
        retryAfter = event.retryAfter();
        if (event.kind() != FailureKind.GRANT_REVOKED) {
            consecutiveFailures++;
        }
        releaseLeaseOf(event.decidedAt());
    }

    @EventSourcingHandler
    void on(ConnectionAuthFailed event) {
        status = ConnectionStatus.AUTH_FAILED;
    }

    @EventSourcingHandler
    void on(ConnectionRenamed event) {
        name = event.name();
    }

    @EventSourcingHandler
    void on(VisibilityChanged event) {
        visibility = event.visibility();
    }

    @EventSourcingHandler
    void on(RevocationStarted event, @SequenceNumber long sequence) {
        revocationDecidedAt = sequence;
    }

    @EventSourcingHandler
    void on(ConnectionRevoked event) {
        status = ConnectionStatus.REVOKED;
        pending = null;
        tokens = null;
        refreshLeaseExpiresAt = null;
        revocationDecidedAt = -1;
    }

    private void releaseLeaseOf(long decidedAt) {
        if (decidedAt == refreshDecidedAt) {
            refreshLeaseExpiresAt = null;
        }
    }
}
