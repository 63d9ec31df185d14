package dev.latchkey.app.authorization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.latchkey.app.crypto.ConnectionSecrets;
import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.application.ConnectionProviderDefinition;
import dev.latchkey.domain.application.OAuthSettings;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.PendingAuthorization;
import dev.latchkey.domain.connection.WorkspaceId;
import dev.latchkey.domain.provider.ProviderClient;
import dev.latchkey.domain.provider.ProviderExchange;
import dev.latchkey.domain.secret.Sealed;
import dev.latchkey.domain.secret.Secret;
import dev.latchkey.domain.secret.SecretField;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/** One attempt: a fresh state and browser binding always, a PKCE verifier only when the provider uses PKCE. */
class AuthorizationAttemptsTest {

    static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    static final WorkspaceId WORKSPACE = WorkspaceId.of("ws-1");
    static final ConnectionId CONNECTION = ConnectionId.of("6f1c1c9e-0c52-4f5e-9d0a-6ad0f4f3c2a1");

    final ProviderExchange exchange = mock(ProviderExchange.class);
    final ConnectionSecrets secrets = mock(ConnectionSecrets.class);
    final AuthorizationAttempts attempts =
            new AuthorizationAttempts(exchange, secrets, Clock.fixed(NOW, ZoneOffset.UTC));

    static ProviderClient client(boolean usePkce) {
        return new ProviderClient(
                ApplicationId.of("b6f1a2c4-3d5e-4f60-8a7b-9c0d1e2f3a4b"),
                new ConnectionProviderDefinition(
                        "9c7d1f5e-6a0b-4d44-be0c-3f8b5a9d4e6f",
                        "linear",
                        "Linear",
                        null,
                        "oauth",
                        new OAuthSettings(
                                "https://provider.example/authorize",
                                "https://provider.example/token",
                                null,
                                List.of("read"),
                                "ID",
                                "SECRET",
                                null,
                                null,
                                usePkce,
                                null,
                                null,
                                null,
                                null,
                                null)),
                "client-1",
                Secret.of("client-secret"),
                URI.create("http://localhost:8080/apps/oauth/callback"));
    }

    @Test
    void aProviderWithoutPkceStillGetsAFreshStateThatTheConnectionKeepsAsADigest() {
        ProviderClient client = client(false);
        ArgumentCaptor<Secret> state = ArgumentCaptor.forClass(Secret.class);
        when(exchange.authorizationUrl(eq(client), state.capture(), isNull()))
                .thenReturn(URI.create("https://provider.example/authorize?state=x"));

        PendingAuthorization pending =
                attempts.prepare(WORKSPACE, CONNECTION, client, null).pending();

        assertThat(pending.stateDigest()).isEqualTo(AuthorizationSecrets.digest(state.getValue()));
        assertThat(pending.codeVerifier()).isNull();
        assertThat(pending.expiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(10)));
        verify(secrets).seal(WORKSPACE, CONNECTION, SecretField.CODE_VERIFIER, (Secret) null);
    }

    @Test
    void aProviderWithPkceGetsAVerifierThatIsKeptSealedAndNeverTheStateItself() {
        ProviderClient client = client(true);
        Sealed sealedVerifier = new Sealed("k1", "sealed-verifier");
        when(secrets.seal(eq(WORKSPACE), eq(CONNECTION), eq(SecretField.CODE_VERIFIER), any(Secret.class)))
                .thenReturn(sealedVerifier);
        ArgumentCaptor<Secret> state = ArgumentCaptor.forClass(Secret.class);
        ArgumentCaptor<Secret> verifier = ArgumentCaptor.forClass(Secret.class);
        when(exchange.authorizationUrl(eq(client), state.capture(), verifier.capture()))
                .thenReturn(URI.create("https://provider.example/authorize?state=x"));

        AuthorizationAttempts.Attempt attempt = attempts.prepare(WORKSPACE, CONNECTION, client, null);

        assertThat(attempt.pending().codeVerifier()).isEqualTo(sealedVerifier);
        assertThat(verifier.getValue().reveal())
                .hasSize(43)
                .isNotEqualTo(state.getValue().reveal());
        assertThat(attempt.pending().stateDigest())
                .isNotEqualTo(state.getValue().reveal());
        assertThat(attempt.binding().reveal())
                .hasSize(43)
                .isNotEqualTo(state.getValue().reveal());
    }
}
