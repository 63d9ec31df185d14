package dev.latchkey.app.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTParser;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.web.client.RestTemplate;

/**
 * Decodes caller tokens: HS256 with the secret (when there is one), RS256 with the keys of a JWK set URI (when there
 * is one), chosen by the token's {@code alg}. Either way the token must carry {@code exp}, be valid within
 * {@link #CLOCK_SKEW}, match the configured issuer and audience, and carry well-formed claims.
 */
final class CallerTokenDecoder implements JwtDecoder {

    static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

    private final Optional<JwtDecoder> hs256;
    private final Optional<JwtDecoder> jwkSet;

    private CallerTokenDecoder(Optional<JwtDecoder> hs256, Optional<JwtDecoder> jwkSet) {
        this.hs256 = hs256;
        this.jwkSet = jwkSet;
    }

    static CallerTokenDecoder create(
            CallerTokenProperties properties, Optional<byte[]> secret, Optional<String> jwkSetUri, Clock clock) {
        if (secret.isEmpty() && jwkSetUri.isEmpty()) {
            throw new IllegalStateException("caller tokens need an HS256 secret or a JWK set URI");
        }
        OAuth2TokenValidator<Jwt> validator = validator(properties, clock);
        Optional<JwtDecoder> hs256 = secret.map(bytes -> {
            NimbusJwtDecoder decoder = NimbusJwtDecoder.withSecretKey(new SecretKeySpec(bytes, "HmacSHA256"))
                    .macAlgorithm(MacAlgorithm.HS256)
                    .build();
            decoder.setJwtValidator(validator);
            return decoder;
        });
        Optional<JwtDecoder> jwkSet = jwkSetUri.map(uri -> {
            NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(uri)
                    .jwsAlgorithm(SignatureAlgorithm.RS256)
                    .restOperations(jwkSetClient(properties))
                    .build();
            decoder.setJwtValidator(validator);
            return decoder;
        });
        return new CallerTokenDecoder(hs256, jwkSet);
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        JWSAlgorithm algorithm = algorithm(token);
        Optional<JwtDecoder> decoder = JWSAlgorithm.HS256.equals(algorithm)
                ? hs256
                : JWSAlgorithm.RS256.equals(algorithm) ? jwkSet : Optional.empty();
        // the algorithm is the sender's text: not repeated in the error, which ends up in a header
        return decoder.orElseThrow(() -> new BadJwtException("the token's signing algorithm is not accepted here"))
                .decode(token);
    }

    private static JWSAlgorithm algorithm(String token) {
        try {
            return JWSAlgorithm.parse(
                    JWTParser.parse(token).getHeader().getAlgorithm().getName());
        } catch (ParseException | RuntimeException e) {
            throw new BadJwtException("the token is not a JWT", e);
        }
    }

    private static OAuth2TokenValidator<Jwt> validator(CallerTokenProperties properties, Clock clock) {
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        JwtTimestampValidator timestamps = new JwtTimestampValidator(CLOCK_SKEW);
        timestamps.setClock(clock);
        validators.add(timestamps);
        validators.add(new JwtClaimValidator<>(JwtClaimNames.EXP, Objects::nonNull));
        if (properties.issuer() != null && !properties.issuer().isBlank()) {
            validators.add(new JwtIssuerValidator(properties.issuer()));
        }
        if (properties.audience() != null && !properties.audience().isBlank()) {
            validators.add(new JwtAudienceValidator(properties.audience()));
        }
        validators.add(new CallerClaimsValidator());
        return new DelegatingOAuth2TokenValidator<>(validators);
    }

    private static RestTemplate jwkSetClient(CallerTokenProperties properties) {
        SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
        requests.setConnectTimeout(properties.jwksConnectTimeout());
        requests.setReadTimeout(properties.jwksReadTimeout());
        return new RestTemplate(requests);
    }
}
