package dev.latchkey.app.security;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What a caller token must also satisfy, and how the issuer's keys are fetched (documented in application.yml).
 *
 * @param issuer {@code LATCHKEY_JWT_ISSUER}: when set, {@code iss} must equal it; null = any or none
 * @param audience {@code LATCHKEY_JWT_AUDIENCE}: when set, {@code aud} (a string or an array) must contain it
 * @param jwksConnectTimeout connecting to {@code jwk-set-uri}
 * @param jwksReadTimeout waiting for the JWK set's answer
 */
@ConfigurationProperties(prefix = "latchkey.jwt")
public record CallerTokenProperties(
        String issuer,
        String audience,
        @DefaultValue("2s") Duration jwksConnectTimeout,
        @DefaultValue("3s") Duration jwksReadTimeout) {}
