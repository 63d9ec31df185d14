package dev.latchkey.app.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.latchkey.domain.connection.ConnectionId;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** RFC 6749 §3.3 / RFC 9700: the connection holds the scopes the provider granted, which may be narrower. */
class GrantedScopesAreRecordedTest {

    static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

    // its default methods run as written (forOneUse answers the mock itself)
    final SecretSealer sealer = mock(SecretSealer.class, withSettings().defaultAnswer(CALLS_REAL_METHODS));
    final ConnectionSecrets secrets = new ConnectionSecrets(sealer, Clock.fixed(NOW, ZoneOffset.UTC));

    @BeforeEach
    void sealing() {
        when(sealer.seal(any(), any())).thenReturn(new Sealed("k1", "sealed"));
    }

    TokenGrant grant(List<String> granted) {
        return new TokenGrant(Secret.of("access"), null, Duration.ofHours(1), granted, "Bearer", null);
    }

    @Test
    void aNarrowerGrantIsWhatTheConnectionRecords() {
        assertThat(secrets.seal(
                                WorkspaceId.of("ws-1"),
                                ConnectionId.random(),
                                grant(List.of("read")),
                                List.of("read", "write"))
                        .scopes())
                .containsExactly("read");
    }

    @Test
    void withoutAScopeInTheAnswerTheRequestedScopesWereGranted() {
        assertThat(secrets.seal(WorkspaceId.of("ws-1"), ConnectionId.random(), grant(null), List.of("read", "write"))
                        .scopes())
                .containsExactly("read", "write");
    }
}
