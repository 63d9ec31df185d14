package dev.latchkey.app.security;

import java.util.ArrayList;
import java.util.List;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * The identity claims ({@code sub}, {@code wid}, {@code uwid}, {@code app}) are text of at most 255 characters without
 * C0 control characters or U+007F, and the scope claims text or arrays of text. The errors name the claim, never its
 * value: they end up in {@code WWW-Authenticate}.
 */
final class CallerClaimsValidator implements OAuth2TokenValidator<Jwt> {

    static final int MAX_LENGTH = 255;
    static final List<String> IDENTITY_CLAIMS = List.of("sub", "wid", "uwid", "app");

    @Override
    public OAuth2TokenValidatorResult validate(Jwt jwt) {
        List<OAuth2Error> errors = new ArrayList<>();
        for (String claim : IDENTITY_CLAIMS) {
            Object value = jwt.getClaims().get(claim);
            if (value == null) {
                continue;
            }
            if (!(value instanceof String text)) {
                errors.add(invalid("the " + claim + " claim must be a string"));
            } else if (text.codePointCount(0, text.length()) > MAX_LENGTH) {
                errors.add(invalid("the " + claim + " claim is longer than " + MAX_LENGTH + " characters"));
            } else if (text.chars().anyMatch(CallerClaimsValidator::isControl)) {
                errors.add(invalid("the " + claim + " claim contains a control character"));
            }
        }
        if (!CallerScopes.wellFormed(jwt.getClaims())) {
            errors.add(invalid("scope and scp must be space-separated strings or arrays of strings"));
        }
        return errors.isEmpty() ? OAuth2TokenValidatorResult.success() : OAuth2TokenValidatorResult.failure(errors);
    }

    private static boolean isControl(int c) {
        return c < 0x20 || c == 0x7f;
    }

    private static OAuth2Error invalid(String description) {
        return new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, description, null);
    }
}
