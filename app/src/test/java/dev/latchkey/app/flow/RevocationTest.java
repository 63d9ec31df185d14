package dev.latchkey.app.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.latchkey.app.crypto.ConnectionSecrets;
import dev.latchkey.app.provider.ProviderClients;
import dev.latchkey.app.provider.ProviderNotReadyException;
import dev.latchkey.app.readmodel.ReadYourWrites;
import dev.latchkey.app.writemodel.Actor;
import dev.latchkey.app.writemodel.CommandSender;
import dev.latchkey.domain.connection.NotPermittedException;
import dev.latchkey.domain.connection.RecordRevocation;
import dev.latchkey.domain.connection.RevocationDecision;
import dev.latchkey.domain.connection.RevocationOutcome;
import dev.latchkey.domain.connection.Revoke;
import dev.latchkey.domain.connection.StaleOutcomeException;
import dev.latchkey.domain.connection.UserWorkspaceId;
import dev.latchkey.domain.provider.ProviderClient;
import dev.latchkey.domain.provider.ProviderExchange;
import dev.latchkey.domain.provider.RevocationResult;
import dev.latchkey.domain.secret.Sealed;
import dev.latchkey.domain.secret.Secret;
import dev.latchkey.domain.secret.SecretField;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

/** Disconnect: the aggregate decides before the provider is called, and the outcome is recorded against it. */
class RevocationTest {

    static final ConnectionTarget TARGET = TokenRefresherTest.TARGET;
    static final Actor ACTOR = TokenRefresherTest.ACTOR;
    static final UserWorkspaceId ALICE = UserWorkspaceId.of("uw-alice");
    static final Sealed REFRESH_1 = new Sealed("k1", "r1");
    static final Sealed ACCESS_1 = new Sealed("k1", "a1");
    static final Sealed REFRESH_2 = new Sealed("k1", "r2");
    static final Sealed ACCESS_2 = new Sealed("k1", "a2");

    final CommandSender commands = mock(CommandSender.class);
    final ProviderClients clients = mock(ProviderClients.class);
    final ProviderExchange exchange = mock(ProviderExchange.class);
    final ConnectionSecrets secrets = mock(ConnectionSecrets.class);
    final ReadYourWrites readYourWrites = mock(ReadYourWrites.class);
    final ProviderClient client = mock(ProviderClient.class);
    final Revocation revocation = new Revocation(commands, clients, exchange, secrets, readYourWrites);

    void unseals(SecretField field, Sealed sealed, String plain) {
        when(secrets.unseal(TARGET.workspaceId(), TARGET.connectionId(), field, sealed))
                .thenReturn(Secret.of(plain));
    }

    @Test
    void theAggregateDecidesThenTheProviderRevokesThenTheOutcomeIsRecorded() {
        when(clients.forProvider(TARGET.applicationId(), TARGET.providerName())).thenReturn(client);
        when(commands.<RevocationDecision>send(new Revoke(TARGET.connectionId(), ALICE), ACTOR))
                .thenReturn(new RevocationDecision(5, REFRESH_1, ACCESS_1));
        unseals(SecretField.REFRESH_TOKEN, REFRESH_1, "r1");
        unseals(SecretField.ACCESS_TOKEN, ACCESS_1, "a1");
        RevocationResult revoked = new RevocationResult(RevocationOutcome.REVOKED, RevocationOutcome.UNSUPPORTED);
        when(exchange.revoke(eq(client), any(), any())).thenReturn(revoked);

        assertThat(revocation.disconnect(TARGET, ALICE, ACTOR)).isEqualTo(revoked);

        InOrder order = inOrder(commands, exchange, readYourWrites);
        order.verify(commands).send(new Revoke(TARGET.connectionId(), ALICE), ACTOR);
        // the view no longer hands the tokens out before they are revoked
        order.verify(readYourWrites).awaitConnection(TARGET.connectionId());
        order.verify(exchange).revoke(eq(client), any(), any());
        order.verify(commands)
                .send(
                        new RecordRevocation(
                                TARGET.connectionId(), 5, RevocationOutcome.REVOKED, RevocationOutcome.UNSUPPORTED),
                        ACTOR);
        order.verify(readYourWrites).awaitConnection(TARGET.connectionId());
    }

    @Test
    void aMemberWhoMayNotDisconnectNeverReachesTheProvider() {
        when(clients.forProvider(TARGET.applicationId(), TARGET.providerName())).thenReturn(client);
        when(commands.send(any(Revoke.class), eq(ACTOR))).thenThrow(new NotPermittedException("not the owner"));

        assertThatThrownBy(() -> revocation.disconnect(TARGET, ALICE, ACTOR)).isInstanceOf(NotPermittedException.class);
        verify(exchange, never()).revoke(any(), any(), any());
    }

    @Test
    void tokensRecordedAfterTheDecisionAreRevokedTooByDecidingAgain() {
        when(clients.forProvider(TARGET.applicationId(), TARGET.providerName())).thenReturn(client);
        when(commands.<RevocationDecision>send(new Revoke(TARGET.connectionId(), ALICE), ACTOR))
                .thenReturn(
                        new RevocationDecision(5, REFRESH_1, ACCESS_1), new RevocationDecision(7, REFRESH_2, ACCESS_2));
        unseals(SecretField.REFRESH_TOKEN, REFRESH_1, "r1");
        unseals(SecretField.ACCESS_TOKEN, ACCESS_1, "a1");
        unseals(SecretField.REFRESH_TOKEN, REFRESH_2, "r2");
        unseals(SecretField.ACCESS_TOKEN, ACCESS_2, "a2");
        RevocationResult revoked = new RevocationResult(RevocationOutcome.REVOKED, RevocationOutcome.REVOKED);
        when(exchange.revoke(eq(client), any(), any())).thenReturn(revoked);
        when(commands.send(
                        new RecordRevocation(
                                TARGET.connectionId(), 5, RevocationOutcome.REVOKED, RevocationOutcome.REVOKED),
                        ACTOR))
                .thenThrow(new StaleOutcomeException("tokens were recorded after the revocation was decided"));

        revocation.disconnect(TARGET, ALICE, ACTOR);

        verify(exchange).revoke(client, Secret.of("r1"), Secret.of("a1"));
        verify(exchange).revoke(client, Secret.of("r2"), Secret.of("a2"));
        verify(commands)
                .send(
                        new RecordRevocation(
                                TARGET.connectionId(), 7, RevocationOutcome.REVOKED, RevocationOutcome.REVOKED),
                        ACTOR);
    }

    @Test
    void withoutAnOAuthClientTheDisconnectIsRecordedAsFailedAtTheProvider() {
        when(clients.forProvider(TARGET.applicationId(), TARGET.providerName()))
                .thenThrow(new ProviderNotReadyException("unset"));
        when(commands.<RevocationDecision>send(new Revoke(TARGET.connectionId(), ALICE), ACTOR))
                .thenReturn(new RevocationDecision(5, REFRESH_1, ACCESS_1));

        assertThat(revocation.disconnect(TARGET, ALICE, ACTOR))
                .isEqualTo(new RevocationResult(RevocationOutcome.FAILED, RevocationOutcome.FAILED));
        verify(exchange, never()).revoke(any(), any(), any());
    }

    @Test
    void aConnectionWithoutTokensHasNothingToRevoke() {
        when(commands.<RevocationDecision>send(new Revoke(TARGET.connectionId(), null), ACTOR))
                .thenReturn(new RevocationDecision(1, null, null));

        assertThat(revocation.revoke(TARGET, null, client, ACTOR))
                .isEqualTo(new RevocationResult(RevocationOutcome.UNSUPPORTED, RevocationOutcome.UNSUPPORTED));
        verify(exchange, never()).revoke(any(), any(), any());
    }
}
