package dev.latchkey.app.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.TokenSet;
import dev.latchkey.domain.connection.WorkspaceId;
import dev.latchkey.domain.provider.TokenGrant;
import dev.latchkey.domain.secret.Sealed;
import dev.latchkey.domain.secret.Secret;
import dev.latchkey.domain.secret.SecretSealer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sealing a grant never throws on what a provider says about its lifetime (issue 11, item 2). */
class ConnectionSecretsTest {

    static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

    // its default methods run as written (forOneUse answers the mock itself)
    final SecretSealer sealer = mock(SecretSealer.class, withSettings().defaultAnswer(CALLS_REAL_METHODS));
    final ConnectionSecrets secrets = new ConnectionSecrets(sealer, Clock.fixed(NOW, ZoneOffset.UTC));

    TokenSet sealWithExpiresIn(Duration expiresIn) {
        when(sealer.seal(any(), any())).thenReturn(new Sealed("k1", "c"));
        return secrets.seal(
                WorkspaceId.of("ws-1"),
                ConnectionId.of("6f1c1c9e-0c52-4f5e-9d0a-6ad0f4f3c2a1"),
                new TokenGrant(Secret.of("a"), Secret.of("r"), expiresIn, null, "Bearer", null),
                List.of("read"));
    }

    @Test
    void anAbsurdExpiresInIsBoundedNotAnInstantOverflow() {
        assertThat(sealWithExpiresIn(Duration.ofSeconds(100_000_000_000_000_000L))
                        .accessTokenExpiresAt())
                .isEqualTo(NOW.plus(ConnectionSecrets.MAX_EXPIRES_IN));
    }

    @Test
    void aNegativeExpiresInIsAlreadyExpired() {
        assertThat(sealWithExpiresIn(Duration.ofSeconds(-5)).accessTokenExpiresAt())
                .isEqualTo(NOW);
    }

    @Test
    void anOrdinaryExpiresInIsKept() {
        assertThat(sealWithExpiresIn(Duration.ofSeconds(3600)).accessTokenExpiresAt())
                .isEqualTo(NOW.plusSeconds(3600));
    }
}
