package dev.latchkey.app.security;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;

/**
 * The one reading of a token's scopes: {@code scope} and {@code scp} together, each a space-separated string or a JSON
 * array of strings. {@link Caller#scopes()} and the authorities {@code @PreAuthorize} checks both come from here.
 */
public final class CallerScopes {

    static final List<String> CLAIMS = List.of("scope", "scp");

    private CallerScopes() {}

    public static Set<String> of(Map<String, Object> claims) {
        Set<String> scopes = new LinkedHashSet<>();
        for (String claim : CLAIMS) {
            Object value = claims.get(claim);
            if (value instanceof String text) {
                addSeparated(text, scopes);
            } else if (value instanceof Collection<?> values) {
                values.stream()
                        .filter(String.class::isInstance)
                        .forEach(element -> addSeparated((String) element, scopes));
            }
        }
        return Set.copyOf(scopes);
    }

    /** Whether {@code scope} and {@code scp}, where present, are text or arrays of text (else the token is refused). */
    static boolean wellFormed(Map<String, Object> claims) {
        for (String claim : CLAIMS) {
            Object value = claims.get(claim);
            boolean fits = value == null
                    || value instanceof String
                    || value instanceof Collection<?> values && values.stream().allMatch(String.class::isInstance);
            if (!fits) {
                return false;
            }
        }
        return true;
    }

    /** The resource server's authentication: authorities {@code SCOPE_} + each of {@link #of}. */
    public static Converter<org.springframework.security.oauth2.jwt.Jwt, AbstractAuthenticationToken>
            authenticationConverter() {
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(jwt -> of(jwt.getClaims()).stream()
                .map(scope -> (GrantedAuthority) new SimpleGrantedAuthority("SCOPE_" + scope))
                .toList());
        return converter;
    }

    private static void addSeparated(String text, Set<String> into) {
        for (String scope : text.trim().split("\\s+")) {
            if (!scope.isEmpty()) {
                into.add(scope);
            }
        }
    }
}
