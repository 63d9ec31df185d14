package dev.latchkey.oauth;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.domain.application.OAuthSettings;
import dev.latchkey.domain.provider.ExchangeFailure;
import dev.latchkey.domain.provider.ExchangeFailure.ClientMisconfigured;
import dev.latchkey.domain.provider.ExchangeFailure.Transient;
import dev.latchkey.domain.provider.ExchangeResult;
import dev.latchkey.domain.provider.TokenGrant;
import dev.latchkey.domain.secret.Secret;
import dev.latchkey.oauth.http.ProviderResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a token endpoint's answer (RFC 6749 §5.1 and §5.2): tokens, or a classified failure. An error body is an
 * error whatever the status (Slack and GitHub answer 200 with one), and the whole JSON is kept for provider-specific
 * fields. JSON is expected; a form-encoded body (the legacy shape) is read into the same JSON object. What cannot be
 * trusted in a grant (an absurd lifetime, a token type with control characters, an unusable scope list) is dropped
 * alone: the tokens are always kept.
 */
final class TokenResponseParser {

    private static final Logger log = LoggerFactory.getLogger(TokenResponseParser.class);

    /** RFC 6750 and RFC 9449 types are a few letters; a longer one is no type, and goes to a read-model column. */
    static final int MAX_TOKEN_TYPE_LENGTH = 64;

    private final ObjectMapper json = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final Clock clock;

    TokenResponseParser(Clock clock) {
        this.clock = clock;
    }

    ExchangeResult parse(ProviderResponse response, OAuthSettings oauth) {
        Duration retryAfter = RetryAfter.parse(response.header("Retry-After"), clock);
        ExchangeFailure byStatus = FailureClassifier.fromStatus(response.status(), retryAfter);
        if (byStatus != null) {
            return byStatus;
        }
        byte[] raw = response.body();
        String contentType = response.header("Content-Type");
        JsonNode body = readObject(raw);
        boolean form = false;
        if (body == null && FormEncodedBody.mayBe(contentType)) {
            body = FormEncodedBody.read(raw);
            form = body != null;
        }
        if (body == null) {
            if (response.status() == 401) {
                return new ClientMisconfigured("http-401");
            }
            return new Transient(FormEncodedBody.declared(contentType) ? "unreadable-form" : "not-json", retryAfter);
        }
        JsonNode error = body.get("error");
        if (error != null && !error.isNull()) {
            return FailureClassifier.fromErrorCode(error.isTextual() ? error.asText() : null, retryAfter);
        }
        if (body.path("ok").isBoolean() && !body.path("ok").asBoolean()) {
            return new Transient("ok-false", retryAfter); // Slack's failure shape without an error code
        }
        if (!response.isSuccessful()) {
            return new ClientMisconfigured("http-" + response.status());
        }
        String accessToken = text(body, "access_token");
        if (accessToken == null || accessToken.isBlank()) {
            return new Transient("no-access-token", retryAfter);
        }
        return new TokenGrant(
                Secret.of(accessToken),
                Secret.ofNullable(text(body, "refresh_token")),
                TokenLifetime.fromExpiresIn(body.get("expires_in")),
                GrantedScopes.from(body.get("scope"), oauth),
                tokenType(body),
                Secret.of(form ? asJson((ObjectNode) body) : new String(raw, StandardCharsets.UTF_8)),
                TokenLifetime.ofRefreshToken(body));
    }

    /** The body as a JSON object, or null when it is not one. */
    JsonNode readObject(byte[] body) {
        try {
            JsonNode node = json.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null; // its message quotes the body
        }
    }

    private String asJson(ObjectNode fields) {
        try {
            return json.writeValueAsString(fields);
        } catch (IOException e) {
            throw new IllegalStateException("a tree of strings is always writable"); // never the body
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode node = body.get(field);
        return node != null && node.isTextual() ? node.asText() : null;
    }

    /** Null when absent or unfit to store: PostgreSQL refuses NUL in text, and a control character is no type. */
    private static String tokenType(JsonNode body) {
        String type = text(body, "token_type");
        if (type == null) {
            return null;
        }
        if (type.length() > MAX_TOKEN_TYPE_LENGTH || type.chars().anyMatch(c -> c < 0x20 || c == 0x7F)) {
            log.warn(
                    "token_type ignored, the tokens kept: longer than {} characters or holding a control character",
                    MAX_TOKEN_TYPE_LENGTH);
            return null;
        }
        return type;
    }
}
