package dev.latchkey.bench.server;

import dev.latchkey.app.security.Caller;
import dev.latchkey.app.security.Scopes;
import dev.latchkey.domain.connection.WorkspaceId;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.client.JdbcOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Benchmark 1's peer: what a Java team would build instead with Spring Security's OAuth 2 client. The connections'
 * rows come from the same view as the floor's (without their sealed tokens), and each row's tokens from Spring
 * Security's standard {@code oauth2_authorized_client} table (plaintext tokens), one
 * {@link JdbcOAuth2AuthorizedClientService#loadAuthorizedClient} per row; behind the same filter chain, JWT decoder
 * and scope check as the API.
 */
@RestController
class PeerListController {

    static final String REGISTRATION = "bench";
    private static final String SCHEMA = "org/springframework/security/oauth2/client/oauth2-client-schema-postgres.sql";

    private static final String COLUMNS = """
        connection_id, workspace_id, application_id, provider_name, name, handle, visibility,
        owner_user_workspace_id, scopes, status, auth_failed_at, auth_failed_reason, created_at, updated_at\
        """;

    private final JdbcTemplate jdbc;
    private final ClientRegistration registration = ClientRegistration.withRegistrationId(REGISTRATION)
            .clientId("bench-client")
            .clientSecret("bench-secret")
            .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
            .redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
            .authorizationUri("http://127.0.0.1/authorize")
            .tokenUri("http://127.0.0.1/token")
            .scope("read", "write")
            .build();
    private final JdbcOAuth2AuthorizedClientService clients;

    PeerListController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.clients =
                new JdbcOAuth2AuthorizedClientService(jdbc, new InMemoryClientRegistrationRepository(registration));
    }

    @GetMapping("/v1/bench/peer/connections")
    @PreAuthorize("hasAnyAuthority('" + Scopes.CONNECTIONS_READ + "', '" + Scopes.CONNECTIONS_CREDENTIALS + "')")
    Map<String, Object> list(@AuthenticationPrincipal Jwt jwt, @RequestParam String providerName) {
        Caller caller = Caller.from(jwt);
        WorkspaceId workspace = caller.requireWorkspace();
        List<Map<String, Object>> rows = jdbc.queryForList(
                "SELECT " + COLUMNS + " FROM connection_view WHERE workspace_id = ? AND application_id = ?"
                        + " AND provider_name = ? AND visibility = 'workspace' ORDER BY created_at, connection_id",
                workspace.value(),
                caller.requireApplication().value(),
                providerName);
        List<Map<String, Object>> items = new ArrayList<>(rows.size());
        for (Map<String, Object> row : rows) {
            Map<String, Object> item = new LinkedHashMap<>(row);
            item.computeIfPresent("scopes", (k, v) -> v instanceof java.sql.Array array ? arrayOf(array) : v);
            OAuth2AuthorizedClient client =
                    clients.loadAuthorizedClient(REGISTRATION, row.get("connection_id").toString());
            if (client != null) {
                item.put("accessToken", client.getAccessToken().getTokenValue());
                item.put("accessTokenExpiresAt", client.getAccessToken().getExpiresAt());
                item.put("tokenType", client.getAccessToken().getTokenType().getValue());
            }
            items.add(item);
        }
        return Map.of("items", items);
    }

    private static Object arrayOf(java.sql.Array array) {
        try {
            return array.getArray();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Spring Security's table, and tokens of its own for every connection of the view in that workspace. */
    @PostMapping("/bench/peer/seed")
    Map<String, Object> seed(@RequestParam String workspace, @RequestParam long expiresInSeconds) throws IOException {
        String schema = "Spring Security's " + SCHEMA;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(SCHEMA)) {
            if (in == null) {
                throw new IllegalStateException("no " + SCHEMA + " on the classpath");
            }
            String ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Integer exists = jdbc.queryForObject(
                    "SELECT count(*) FROM information_schema.tables WHERE table_name = 'oauth2_authorized_client'",
                    Integer.class);
            if (exists == null || exists == 0) {
                jdbc.execute(ddl);
            }
        }
        List<String> ids = jdbc.queryForList(
                "SELECT connection_id FROM connection_view WHERE workspace_id = ?", String.class, workspace);
        SecureRandom random = new SecureRandom();
        Instant issued = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        for (String id : ids) {
            OAuth2AccessToken access = new OAuth2AccessToken(
                    OAuth2AccessToken.TokenType.BEARER,
                    randomToken(random),
                    issued,
                    issued.plus(Duration.ofSeconds(expiresInSeconds)),
                    Set.of("read", "write"));
            OAuth2RefreshToken refresh = new OAuth2RefreshToken(randomToken(random), issued);
            clients.saveAuthorizedClient(
                    new OAuth2AuthorizedClient(registration, id, access, refresh),
                    UsernamePasswordAuthenticationToken.unauthenticated(id, null));
        }
        return Map.of("clients", ids.size(), "schema", schema);
    }

    private static String randomToken(SecureRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
