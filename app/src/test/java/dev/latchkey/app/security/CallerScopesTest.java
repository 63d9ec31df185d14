package dev.latchkey.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;

/** Every reading of a token's scopes agrees: the authorities {@code @PreAuthorize} checks and {@link Caller}'s. */
class CallerScopesTest {

    @Test
    void aSpaceSeparatedScopeClaimIsRead() {
        assertThat(Caller.from(jwt(Map.of("scope", "connections:read  audit:read")))
                        .scopes())
                .containsExactlyInAnyOrder("connections:read", "audit:read");
    }

    @Test
    void anScpArrayIsReadLikeScope() {
        Caller caller = Caller.from(jwt(Map.of("scp", List.of("connections:credentials", "connections:read"))));

        assertThat(caller.scopes()).containsExactlyInAnyOrder("connections:credentials", "connections:read");
        assertThat(caller.isCredentialsCaller()).isTrue();
    }

    @Test
    void aScopeArrayIsRead() {
        assertThat(Caller.from(jwt(Map.of("scope", List.of("audit:read")))).scopes())
                .containsExactly("audit:read");
    }

    @Test
    void scopeAndScpTogetherAreOneUnion() {
        Caller caller =
                Caller.from(jwt(Map.of("scope", "connections:read", "scp", List.of("connections:credentials"))));

        assertThat(caller.scopes()).containsExactlyInAnyOrder("connections:read", "connections:credentials");
        assertThat(caller.isCredentialsCaller()).isTrue();
    }

    @Test
    void aTokenWithoutScopesHasNone() {
        assertThat(Caller.from(jwt(Map.of())).scopes()).isEmpty();
    }

    static List<Arguments> scopeShapes() {
        return List.of(
                Arguments.of(Map.of("scope", "apps:admin connections:write")),
                Arguments.of(Map.of("scp", "connections:read")),
                Arguments.of(Map.of("scope", List.of("audit:read", "connections:credentials"))),
                Arguments.of(Map.of("scp", List.of("connections:credentials"), "scope", "apps:admin")),
                Arguments.of(Map.of()));
    }

    @ParameterizedTest
    @MethodSource("scopeShapes")
    void theAuthoritiesOfTheAuthenticationAreTheCallersScopes(Map<String, Object> claims) {
        Jwt jwt = jwt(claims);

        List<String> authorities = CallerScopes.authenticationConverter().convert(jwt).getAuthorities().stream()
                .map(GrantedAuthority::getAuthority)
                .toList();

        assertThat(authorities)
                .containsExactlyInAnyOrderElementsOf(Caller.from(jwt).scopes().stream()
                        .map(scope -> "SCOPE_" + scope)
                        .collect(Collectors.toSet()));
    }

    private static Jwt jwt(Map<String, Object> claims) {
        Jwt.Builder builder = Jwt.withTokenValue("token")
                .header("alg", "HS256")
                .subject("alice")
                .issuedAt(Instant.parse("2026-01-01T00:00:00Z"))
                .expiresAt(Instant.parse("2026-01-01T01:00:00Z"));
        claims.forEach(builder::claim);
        return builder.build();
    }
}
