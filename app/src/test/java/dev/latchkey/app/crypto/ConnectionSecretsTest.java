package dev.latchkey.app.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.latchkey.domain.application.TokenLifetimes;
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

    TokenSet seal(TokenGrant grant, TokenLifetimes lifetimes) {
        when(sealer.seal(any(), any())).thenReturn(new Sealed("k1", "c"));
        return secrets.seal(
                WorkspaceId.of("ws-1"),
                ConnectionId.of("6f1c1c9e-0c52-4f5e-9d0a-6ad0f4f3c2a1"),
                grant,
                List.of("read"),
                lifetimes);
    }

    static TokenGrant grant(Duration expiresIn, Duration refreshTokenExpiresIn) {
        return new TokenGrant(Secret.of("a"), Secret.of("r"), expiresIn, null, "Bearer", null, refreshTokenExpiresIn);
    }

    @Test
    void theProvidersDefaultLifetimeStandsInForAMissingExpiresIn() {
        TokenLifetimes lifetimes = new TokenLifetimes(Duration.ofSeconds(1800), true, null);

        assertThat(seal(grant(null, null), lifetimes).accessTokenExpiresAt()).isEqualTo(NOW.plusSeconds(1800));
        assertThat(seal(grant(Duration.ofSeconds(60), null), lifetimes).accessTokenExpiresAt())
                .isEqualTo(NOW.plusSeconds(60));
    }

    @Test
    void tokensThatNeverExpireHaveNoExpiryWhateverTheResponseSays() {
        TokenSet sealed = seal(grant(Duration.ofSeconds(3600), null), new TokenLifetimes(null, false, null));

        assertThat(sealed.accessTokenExpiresAt()).isNull();
        assertThat(sealed.dueAt()).isNull();
    }

    @Test
    void aKeepAliveSetsWhenTheGrantIsRefreshedAtTheLatest() {
        TokenSet sealed = seal(grant(null, null), new TokenLifetimes(null, true, Duration.ofDays(30)));

        assertThat(sealed.refreshBy()).isEqualTo(NOW.plus(Duration.ofDays(30)));
        assertThat(sealed.dueAt()).isEqualTo(NOW.plus(Duration.ofDays(30)));
        // an hour-long access token is due first
        assertThat(seal(grant(Duration.ofHours(1), null), new TokenLifetimes(null, true, Duration.ofDays(30)))
                        .dueAt())
                .isEqualTo(NOW.plus(Duration.ofHours(1)));
    }

    @Test
    void theRefreshTokensLifetimeIsKeptAndBounded() {
        assertThat(seal(grant(Duration.ofHours(1), Duration.ofDays(100)), TokenLifetimes.AS_EACH_RESPONSE_SAYS)
                        .refreshTokenExpiresAt())
                .isEqualTo(NOW.plus(Duration.ofDays(100)));
        assertThat(seal(grant(Duration.ofHours(1), Duration.ofDays(1_000_000)), TokenLifetimes.AS_EACH_RESPONSE_SAYS)
                        .refreshTokenExpiresAt())
                .isEqualTo(NOW.plus(ConnectionSecrets.MAX_REFRESH_TOKEN_EXPIRES_IN));
    }

    @Test
    void anOrdinaryExpiresInIsKept() {
        assertThat(sealWithExpiresIn(Duration.ofSeconds(3600)).accessTokenExpiresAt())
                .isEqualTo(NOW.plusSeconds(3600));
    }
}
