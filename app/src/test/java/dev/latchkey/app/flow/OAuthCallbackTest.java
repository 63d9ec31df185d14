package dev.latchkey.app.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.latchkey.app.authorization.AuthorizationSecrets;
import dev.latchkey.app.crypto.ConnectionSecrets;
import dev.latchkey.app.provider.ProviderClients;
import dev.latchkey.app.readmodel.ReadYourWrites;
import dev.latchkey.app.writemodel.CommandSender;
import dev.latchkey.domain.application.ConnectionProviderDefinition;
import dev.latchkey.domain.application.OAuthSettings;
import dev.latchkey.domain.connection.AuthorizationStateRejected;
import dev.latchkey.domain.connection.CallbackDecision;
import dev.latchkey.domain.connection.CompleteCallback;
import dev.latchkey.domain.connection.ConnectionStatus;
import dev.latchkey.domain.connection.DenyAuthorization;
import dev.latchkey.domain.connection.FailureKind;
import dev.latchkey.domain.connection.RecordCodeExchange;
import dev.latchkey.domain.connection.RecordCodeExchangeFailure;
import dev.latchkey.domain.connection.TokenSet;
import dev.latchkey.domain.connection.UserWorkspaceId;
import dev.latchkey.domain.connection.Visibility;
import dev.latchkey.domain.provider.ExchangeFailure;
import dev.latchkey.domain.provider.ProviderClient;
import dev.latchkey.domain.provider.ProviderExchange;
import dev.latchkey.domain.provider.TokenGrant;
import dev.latchkey.domain.secret.Sealed;
import dev.latchkey.domain.secret.Secret;
import dev.latchkey.domain.secret.SecretField;
import dev.latchkey.query.authorization.AuthorizationStates;
import dev.latchkey.query.connection.ConnectionQueries;
import dev.latchkey.query.connection.ConnectionRow;
import dev.latchkey.query.connection.ConnectionView;
import dev.latchkey.query.connection.GetConnectionUnscoped;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;
import org.springframework.transaction.CannotCreateTransactionException;

/** The callback flow: the aggregate decides on the state before the code is exchanged, then the outcome is recorded. */
class OAuthCallbackTest {

    static final ConnectionTarget TARGET = TokenRefresherTest.TARGET;
    static final String ISSUER = "https://issuer.example";
    static final Sealed VERIFIER = new Sealed("k1", "verifier");

    final AuthorizationStates states = mock(AuthorizationStates.class);
    final ConnectionQueries connections = mock(ConnectionQueries.class);
    final ProviderClients clients = mock(ProviderClients.class);
    final ProviderExchange exchange = mock(ProviderExchange.class);
    final ConnectionSecrets secrets = mock(ConnectionSecrets.class);
    final CommandSender commands = mock(CommandSender.class);
    final ReadYourWrites readYourWrites = mock(ReadYourWrites.class);
    final TokenRefresherTest.MovingClock clock = new TokenRefresherTest.MovingClock();
    final OAuthCallback callback = new OAuthCallback(
            states,
            connections,
            clients,
            exchange,
            secrets,
            commands,
            readYourWrites,
            clock,
            new RefreshBudget(TokenRefresherTest.PROPERTIES, TokenRefresherTest.POOL_WAIT));
    final ProviderClient client = new ProviderClient(
            TARGET.applicationId(),
            new ConnectionProviderDefinition(
                    "9c7d1f5e-6a0b-4d44-be0c-3f8b5a9d4e6f",
                    "linear",
                    "Linear",
                    null,
                    "oauth",
                    new OAuthSettings(
                            "https://issuer.example/authorize",
                            "https://issuer.example/token",
                            null,
                            List.of("read"),
                            "ID",
                            "SECRET",
                            null,
                            null,
                            true,
                            null,
                            null,
                            null,
                            ISSUER,
                            null)),
            "client-1",
            Secret.of("client-secret"),
            URI.create("http://localhost:8080/apps/oauth/callback"));

    void aPendingConnection() {
        Instant now = Instant.parse("2026-12-07T10:00:00Z");
        ConnectionView view = new ConnectionView(
                TARGET.connectionId(),
                TARGET.workspaceId(),
                TARGET.applicationId(),
                TARGET.providerName(),
                "Linear #1",
                null,
                Visibility.USER,
                UserWorkspaceId.of("uw-alice"),
                List.of(),
                ConnectionStatus.PENDING,
                null,
                null,
                now,
                now,
                null,
                null);
        when(connections.handle(new GetConnectionUnscoped(TARGET.connectionId())))
                .thenReturn(Optional.of(new ConnectionRow(view, null, null, 0)));
        when(clients.forProvider(TARGET.applicationId(), TARGET.providerName())).thenReturn(client);
        when(secrets.unseal(TARGET.workspaceId(), TARGET.connectionId(), SecretField.CODE_VERIFIER, VERIFIER))
                .thenReturn(Secret.of("verifier-1"));
    }

    CompleteCallback completing() {
        return new CompleteCallback(
                TARGET.connectionId(),
                AuthorizationSecrets.digest("state-1"),
                AuthorizationSecrets.digest("binding-1"));
    }

    @Test
    void theStateIsDecidedThenTheCodeExchangedThenTheTokensRecordedAgainstTheDecision() {
        aPendingConnection();
        when(commands.<CallbackDecision>send(eq(completing()), any()))
                .thenReturn(new CallbackDecision(2, VERIFIER, "https://crm.example.com/settings"));
        TokenGrant grant =
                new TokenGrant(Secret.of("access"), Secret.of("refresh"), Duration.ofHours(1), null, null, null);
        when(exchange.exchangeCode(client, Secret.of("code-1"), Secret.of("verifier-1")))
                .thenReturn(grant);
        TokenSet sealed = new TokenSet(new Sealed("k1", "a"), null, null, List.of("read"), null, null);
        when(secrets.seal(TARGET.workspaceId(), TARGET.connectionId(), grant, List.of("read"), client.tokenLifetimes()))
                .thenReturn(sealed);

        CallbackOutcome outcome = callback.complete(
                TARGET.connectionId(), new OAuthCallback.Callback("code-1", "state-1", null, ISSUER), "binding-1");

        assertThat(outcome)
                .isEqualTo(new CallbackOutcome(TARGET.connectionId(), "https://crm.example.com/settings", null, false));
        InOrder order = inOrder(commands, exchange);
        order.verify(commands).send(eq(completing()), any());
        order.verify(exchange).exchangeCode(client, Secret.of("code-1"), Secret.of("verifier-1"));
        order.verify(commands).send(eq(new RecordCodeExchange(TARGET.connectionId(), 2, sealed, null)), any());
    }

    @Test
    void recordingIsRetriedThroughADatabaseBlipAndTheSameSealedGrantRecorded() {
        aPendingConnection();
        when(commands.<CallbackDecision>send(eq(completing()), any()))
                .thenReturn(new CallbackDecision(2, VERIFIER, null));
        TokenGrant grant =
                new TokenGrant(Secret.of("access"), Secret.of("refresh"), Duration.ofHours(1), null, null, null);
        when(exchange.exchangeCode(any(), any(), any())).thenReturn(grant);
        TokenSet sealed = new TokenSet(new Sealed("k1", "a"), null, null, List.of("read"), null, null);
        when(secrets.seal(TARGET.workspaceId(), TARGET.connectionId(), grant, List.of("read"), client.tokenLifetimes()))
                .thenReturn(sealed);
        RecordCodeExchange record = new RecordCodeExchange(TARGET.connectionId(), 2, sealed, null);
        when(commands.send(eq(record), any()))
                .thenThrow(TokenRefresherTest.poolExhausted())
                .thenReturn(null);

        CallbackOutcome outcome = callback.complete(
                TARGET.connectionId(), new OAuthCallback.Callback("code-1", "state-1", null, ISSUER), "binding-1");

        assertThat(outcome.succeeded()).isTrue();
        verify(commands, times(2)).send(eq(record), any());
        verify(secrets, times(1)).seal(any(), any(), any(TokenGrant.class), any(), any());
        verify(exchange, never()).revoke(any(), any(), any());
    }

    @Test
    void aGrantThatCannotBeRecordedIsRevokedAtTheProviderNotDropped() {
        aPendingConnection();
        when(commands.<CallbackDecision>send(eq(completing()), any()))
                .thenReturn(new CallbackDecision(2, VERIFIER, null));
        TokenGrant grant =
                new TokenGrant(Secret.of("access"), Secret.of("refresh"), Duration.ofHours(1), null, null, null);
        when(exchange.exchangeCode(any(), any(), any())).thenReturn(grant);
        when(secrets.seal(any(), any(), any(TokenGrant.class), any(), any()))
                .thenReturn(new TokenSet(new Sealed("k1", "a"), null, null, List.of("read"), null, null));
        // PostgreSQL stays away: every attempt fails, and the clock passes the retry budget
        when(commands.send(any(RecordCodeExchange.class), any())).thenAnswer(invocation -> {
            clock.advance(Duration.ofSeconds(5));
            throw TokenRefresherTest.poolExhausted();
        });

        assertThatThrownBy(() -> callback.complete(
                        TARGET.connectionId(),
                        new OAuthCallback.Callback("code-1", "state-1", null, ISSUER),
                        "binding-1"))
                .isInstanceOf(CannotCreateTransactionException.class);

        verify(exchange).revoke(client, Secret.of("refresh"), Secret.of("access"));
    }

    @Test
    void aFailedExchangeIsRecordedAgainstTheDecisionAndAnsweredAsAnError() {
        aPendingConnection();
        when(commands.<CallbackDecision>send(eq(completing()), any()))
                .thenReturn(new CallbackDecision(2, VERIFIER, null));
        when(exchange.exchangeCode(any(), any(), any())).thenReturn(new ExchangeFailure.GrantRevoked("invalid_grant"));

        CallbackOutcome outcome = callback.complete(
                TARGET.connectionId(), new OAuthCallback.Callback("code-1", "state-1", null, ISSUER), "binding-1");

        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.badRequest()).isFalse();
        verify(commands)
                .send(
                        eq(new RecordCodeExchangeFailure(
                                TARGET.connectionId(), 2, FailureKind.GRANT_REVOKED, "invalid_grant")),
                        any());
    }

    @Test
    void aRefusedStateExchangesNothing() {
        aPendingConnection();
        when(commands.send(eq(completing()), any()))
                .thenThrow(new AuthorizationStateRejected(AuthorizationStateRejected.Reason.BINDING_MISMATCH));

        CallbackOutcome outcome = callback.complete(
                TARGET.connectionId(), new OAuthCallback.Callback("code-1", "state-1", null, ISSUER), "binding-1");

        assertThat(outcome.badRequest()).isTrue();
        verify(exchange, never()).exchangeCode(any(), any(), any());
    }

    @Test
    void anIssuerOtherThanTheProvidersIsRefusedBeforeAnythingIsDecided() {
        aPendingConnection();

        CallbackOutcome outcome = callback.complete(
                TARGET.connectionId(),
                new OAuthCallback.Callback("code-1", "state-1", null, "https://evil.example"),
                "binding-1");

        assertThat(outcome).isEqualTo(CallbackOutcome.rejected("issuer-mismatch"));
        verify(commands, never()).send(any(), any());
    }

    @Test
    void aCallbackWithoutIssuerIsRefusedWhenTheProviderDeclaresOne() {
        aPendingConnection();

        CallbackOutcome code = callback.complete(
                TARGET.connectionId(), new OAuthCallback.Callback("code-1", "state-1", null, null), "binding-1");
        CallbackOutcome error = callback.complete(
                TARGET.connectionId(), new OAuthCallback.Callback(null, "state-1", "access_denied", null), "binding-1");

        assertThat(code).isEqualTo(CallbackOutcome.rejected("issuer-missing"));
        assertThat(error).isEqualTo(CallbackOutcome.rejected("issuer-missing"));
        verify(commands, never()).send(any(), any());
        verify(exchange, never()).exchangeCode(any(), any(), any());
    }

    @Test
    void aConsentTheProviderReportsDeniedIsRecordedWithoutAnExchange() {
        aPendingConnection();
        DenyAuthorization deny = new DenyAuthorization(
                TARGET.connectionId(),
                AuthorizationSecrets.digest("state-1"),
                AuthorizationSecrets.digest("binding-1"),
                "access_denied");
        when(commands.<String>send(eq(deny), any())).thenReturn(null);

        CallbackOutcome outcome = callback.complete(
                TARGET.connectionId(),
                new OAuthCallback.Callback(null, "state-1", "access_denied", ISSUER),
                "binding-1");

        assertThat(outcome.error()).isEqualTo("access_denied");
        verify(exchange, never()).exchangeCode(any(), any(), any());
    }
}
