package dev.latchkey.app.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.app.LatchkeySpringTest;
import dev.latchkey.app.security.DevTokenCommand;
import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.secret.Sealed;
import dev.latchkey.domain.secret.SealingContext;
import dev.latchkey.domain.secret.Secret;
import dev.latchkey.domain.secret.SecretSealer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** {@code POST /v1/admin/master-keys/rotate} on the running application. */
class MasterKeyEndpointTest extends LatchkeySpringTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    SecretSealer sealer;

    @Test
    void rotationReWrapsWhileServingAndTheRetiredKeyCanThenBeRemoved() throws Exception {
        // a data key wrapped by the retired master key, as a node still running with it would have made it
        SealingContext variable = SealingContext.forServerVariable(
                ApplicationId.of(UUID.randomUUID().toString()), "CLIENT_SECRET");
        Sealed sealed = node(RETIRED_MASTER_KEY).sealer().seal(Secret.of("client-secret-before-rotation"), variable);
        assertThat(masterKeyOf(sealed)).isEqualTo("retired");

        HttpResponse<String> response = rotate(token("apps:admin"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        JsonNode report = JSON.readTree(response.body());
        assertThat(report.get("currentMasterKeyId").asText()).isEqualTo("test");
        assertThat(report.get("rewrapped").asInt()).isPositive();
        assertThat(report.get("failed").asInt()).isZero();
        assertThat(report.get("complete").asBoolean()).isTrue();
        assertThat(report.at("/removableMasterKeyIds/0").asText()).isEqualTo("retired");
        assertThat(report.get("liveDataKeysByMasterKey").fieldNames())
                .toIterable()
                .containsExactly("test");
        assertThat(masterKeyOf(sealed)).isEqualTo("test");

        assertThat(sealer.unseal(sealed, variable).reveal()).isEqualTo("client-secret-before-rotation");
        assertThat(node(TEST_MASTER_KEYS.substring(0, TEST_MASTER_KEYS.indexOf(',')))
                        .sealer()
                        .unseal(sealed, variable)
                        .reveal())
                .isEqualTo("client-secret-before-rotation");
    }

    @Test
    void rotationNeedsAnAdminToken() throws Exception {
        HttpResponse<String> anonymous = rotate(null);
        HttpResponse<String> member = rotate(token("connections:write connections:read"));

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(member.statusCode()).isEqualTo(403);
        assertThat(member.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(JSON.readTree(member.body()).get("type").asText())
                .isEqualTo("https://latchkey.dev/problems/forbidden");
    }

    private CryptoTestDatabase.Node node(String masterKeys) {
        MasterKeyring keyring = MasterKeyring.parse(Secret.of(masterKeys));
        DataKeys dataKeys = new DataKeys(new DataKeyStore(jdbc), keyring, 10);
        return new CryptoTestDatabase.Node(keyring, dataKeys, new EnvelopeSecretSealer(dataKeys, keyring), null);
    }

    private String masterKeyOf(Sealed sealed) {
        return jdbc.queryForObject("select master_key_id from data_key where id = ?", String.class, sealed.keyId());
    }

    private HttpResponse<String> rotate(String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(PUBLIC_URL + "/v1/admin/master-keys/rotate"))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String token(String scope) {
        return DevTokenCommand.mint(
                Map.of("sub", "admin-1", "scope", scope),
                TEST_JWT_SECRET.getBytes(StandardCharsets.UTF_8),
                Instant.now());
    }
}
