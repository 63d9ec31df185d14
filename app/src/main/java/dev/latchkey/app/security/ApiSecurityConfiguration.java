package dev.latchkey.app.security;

import dev.latchkey.app.problem.ProblemResponses;
import java.time.Clock;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;

/**
 * {@code /v1/**} takes bearer JWTs ({@link CallerTokenDecoder}: HS256 with {@code LATCHKEY_JWT_SECRET}, RS256 from a JWK
 * set URI) and answers 401/403 as problem+json, a token refused for any reason with the same 401 body; scopes are checked per endpoint with {@code @PreAuthorize}. The browser endpoints and the
 * health and metrics endpoints need no token.
 */
@Configuration
@EnableMethodSecurity
class ApiSecurityConfiguration {

    @Bean
    @Order(1)
    SecurityFilterChain apiChain(HttpSecurity http, JwtDecoder decoder, ProblemResponses problems) throws Exception {
        BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();
        http.securityMatcher("/v1/**")
                .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .jwt(jwt ->
                                jwt.decoder(decoder).jwtAuthenticationConverter(CallerScopes.authenticationConverter()))
                        .authenticationEntryPoint((request, response, e) -> {
                            bearer.commence(request, response, e); // the WWW-Authenticate header of RFC 6750
                            problems.write(
                                    response,
                                    HttpStatus.UNAUTHORIZED,
                                    "unauthorized",
                                    "a valid bearer token is required");
                        })
                        .accessDeniedHandler((request, response, e) -> problems.write(
                                response,
                                HttpStatus.FORBIDDEN,
                                "forbidden",
                                "the token lacks the scope for this call")))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable())
                .addFilterBefore(new IssuerUnavailableFilter(problems), BearerTokenAuthenticationFilter.class);
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain publicChain(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(requests -> requests.requestMatchers(
                                "/apps/oauth/**",
                                "/actuator/health/**",
                                "/actuator/prometheus",
                                "/v3/api-docs/**",
                                "/error")
                        .permitAll()
                        .anyRequest()
                        .denyAll())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                // the browser endpoints are plain GET redirects protected by state and the binding cookie
                .csrf(csrf -> csrf.disable())
                .exceptionHandling(errors -> errors.authenticationEntryPoint(
                        new org.springframework.security.web.authentication.HttpStatusEntryPoint(
                                HttpStatus.UNAUTHORIZED)))
                .requestCache(cache -> cache.disable())
                .headers(headers -> headers.referrerPolicy(policy -> policy.policy(
                        org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy
                                .NO_REFERRER)));
        return http.build();
    }

    /**
     * With a JWK set URI: RS256 with its keys, and HS256 as well only while {@code LATCHKEY_JWT_SECRET} is set. Without
     * one: HS256 with that secret, or the embedded default's generated one.
     */
    @Bean
    JwtDecoder jwtDecoder(
            JwtSecretSource secrets,
            CallerTokenProperties properties,
            Clock clock,
            @Value("${spring.security.oauth2.resourceserver.jwt.jwk-set-uri:}") String jwkSetUri) {
        Optional<String> jwkSet = jwkSetUri.isBlank() ? Optional.empty() : Optional.of(jwkSetUri);
        Optional<byte[]> secret = jwkSet.isPresent() ? secrets.configuredSecret() : Optional.of(secrets.secret());
        return CallerTokenDecoder.create(properties, secret, jwkSet, clock);
    }
}
