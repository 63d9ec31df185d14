package dev.latchkey.app.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/** The rules a caller token is held to, on the HS256 decoder with a fixed clock. */
class CallerTokenDecoderTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final String ISSUER = "https://issuer.example";
    private static final String AUDIENCE = "latchkey";

    private static JwtDecoder decoder(String issuer, String audience) {
        return CallerTokenDecoder.create(
                new CallerTokenProperties(issuer, audience, Duration.ofSeconds(2), Duration.ofSeconds(3)),
                Optional.of(TestTokens.SECRET),
                Optional.empty(),
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private final JwtDecoder plain = decoder(null, null);
    private final JwtDecoder strict = decoder(ISSUER, AUDIENCE);

    private static TestTokens token() {
        return TestTokens.validAt(NOW).claim("wid", "ws-1").claim("scope", "connections:read");
    }

    private static TestTokens strictToken() {
        return token().claim("iss", ISSUER).claim("aud", AUDIENCE);
    }

    @Test
    void aWellFormedTokenIsAccepted() {
        assertThat(plain.decode(token().hs256()).getClaimAsString("wid")).isEqualTo("ws-1");
    }

    @Test
    void aTokenWithoutExpiryIsRefused() {
        assertThatThrownBy(() -> plain.decode(token().without("exp").hs256())).isInstanceOf(BadJwtException.class);
    }

    @Test
    void aTokenExpiredWithinSixtySecondsIsAccepted() {
        String token = token().expiresAt(NOW.minusSeconds(59)).hs256();

        assertThat(plain.decode(token).getSubject()).isEqualTo("alice");
    }

    @Test
    void aTokenExpiredMoreThanSixtySecondsAgoIsRefused() {
        String token = token().expiresAt(NOW.minusSeconds(61)).hs256();

        assertThatThrownBy(() -> plain.decode(token)).isInstanceOf(BadJwtException.class);
    }

    @Test
    void aTokenValidOnlyMoreThanSixtySecondsFromNowIsRefused() {
        String token = token().notBefore(NOW.plusSeconds(61)).hs256();

        assertThatThrownBy(() -> plain.decode(token)).isInstanceOf(BadJwtException.class);
    }

    @Test
    void aTokenValidWithinSixtySecondsFromNowIsAccepted() {
        String token = token().notBefore(NOW.plusSeconds(59)).hs256();

        assertThat(plain.decode(token).getSubject()).isEqualTo("alice");
    }

    @Test
    void withoutIssuerAndAudienceConfiguredAnyIssuerAndAudienceIsAccepted() {
        String token = token().claim("iss", "https://elsewhere.example")
                .claim("aud", "other")
                .hs256();

        assertThat(plain.decode(token).getSubject()).isEqualTo("alice");
    }

    @Test
    void withIssuerAndAudienceConfiguredAMatchingTokenIsAccepted() {
        assertThat(strict.decode(strictToken().hs256()).getSubject()).isEqualTo("alice");
    }

    @Test
    void withAnIssuerConfiguredAnotherIssuerIsRefused() {
        String token = strictToken().claim("iss", "https://elsewhere.example").hs256();

        assertThatThrownBy(() -> strict.decode(token)).isInstanceOf(BadJwtException.class);
    }

    @Test
    void withAnIssuerConfiguredATokenWithoutIssuerIsRefused() {
        assertThatThrownBy(() -> strict.decode(strictToken().without("iss").hs256()))
                .isInstanceOf(BadJwtException.class);
    }

    @Test
    void withAnAudienceConfiguredAnArrayContainingItIsAccepted() {
        String token = strictToken().claim("aud", List.of("other", AUDIENCE)).hs256();

        assertThat(strict.decode(token).getAudience()).contains(AUDIENCE);
    }

    @Test
    void withAnAudienceConfiguredAnotherAudienceIsRefused() {
        String token =
                strictToken().claim("aud", List.of("other", "latchkey-staging")).hs256();

        assertThatThrownBy(() -> strict.decode(token)).isInstanceOf(BadJwtException.class);
    }

    @Test
    void withAnAudienceConfiguredATokenWithoutAudienceIsRefused() {
        assertThatThrownBy(() -> strict.decode(strictToken().without("aud").hs256()))
                .isInstanceOf(BadJwtException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sub", "wid", "uwid", "app"})
    void anIdentityClaimOf255CharactersIsAccepted(String claim) {
        assertThat(plain.decode(token().claim(claim, "a".repeat(255)).hs256()).getClaimAsString(claim))
                .hasSize(255);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sub", "wid", "uwid", "app"})
    void anIdentityClaimOf256CharactersIsRefusedWithoutRepeatingIt(String claim) {
        String value = "a".repeat(256);

        assertThatThrownBy(() -> plain.decode(token().claim(claim, value).hs256()))
                .isInstanceOf(BadJwtException.class)
                .message()
                .doesNotContain(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ws\u00001", "ws\u001f1", "ws\u007f1", "ws\n1", "ws\t1"})
    void anIdentityClaimWithAControlCharacterIsRefused(String value) {
        for (String claim : List.of("sub", "wid", "uwid", "app")) {
            assertThatThrownBy(() -> plain.decode(token().claim(claim, value).hs256()))
                    .as(claim)
                    .isInstanceOf(BadJwtException.class);
        }
    }

    @Test
    void anIdentityClaimWithLettersBeyondAsciiIsAccepted() {
        assertThat(plain.decode(token().claim("sub", "zoë@example.org").hs256()).getSubject())
                .isEqualTo("zoë@example.org");
    }

    @Test
    void anIdentityClaimThatIsNotAStringIsRefused() {
        assertThatThrownBy(() -> plain.decode(token().claim("wid", 42).hs256())).isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() ->
                        plain.decode(token().claim("app", List.of("a", "b")).hs256()))
                .isInstanceOf(BadJwtException.class);
    }

    @Test
    void aScopeThatIsNeitherTextNorAnArrayOfTextIsRefused() {
        assertThatThrownBy(() -> plain.decode(token().claim("scope", 7).hs256()))
                .isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> plain.decode(
                        token().claim("scp", List.of("audit:read", 7)).hs256()))
                .isInstanceOf(BadJwtException.class);
    }

    @Test
    void aTokenSignedWithAnotherSecretIsRefused() {
        byte[] other = "another-secret-of-at-least-32-bytes!!".getBytes(java.nio.charset.StandardCharsets.UTF_8);

        assertThatThrownBy(() -> plain.decode(token().hs256(other))).isInstanceOf(BadJwtException.class);
    }
}
