package dev.latchkey.oauth;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.domain.application.OAuthSettings;
import dev.latchkey.domain.provider.ProviderClient;
import dev.latchkey.domain.secret.Secret;
import dev.latchkey.oauth.http.ProviderResponse;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection's handle from the provider's user-info endpoint: {@code handleField} is a JSON pointer into its
 * answer. Best effort: any failure is an empty handle, never a failed connection.
 */
final class HandleLookup {

    private static final Logger log = LoggerFactory.getLogger(HandleLookup.class);
    private static final int LONGEST_HANDLE = 320;

    private final ProviderCalls calls;
    private final TokenResponseParser bodies;

    HandleLookup(ProviderCalls calls, TokenResponseParser bodies) {
        this.calls = calls;
        this.bodies = bodies;
    }

    Optional<String> fetch(ProviderClient client, ProviderOAuth20Service service, Secret accessToken) {
        OAuthSettings oauth = client.provider().oauth();
        if (oauth.userInfoEndpoint() == null || oauth.handleField() == null || accessToken == null) {
            return Optional.empty();
        }
        JsonPointer pointer;
        try {
            pointer = JsonPointer.compile(oauth.handleField());
        } catch (IllegalArgumentException e) {
            log.warn("handleField of {} is not a JSON pointer", client);
            return Optional.empty();
        }
        try {
            ProviderResponse response = calls.send(service, service.userInfoRequest(accessToken));
            if (!response.isSuccessful()) {
                log.warn("user info of {} not available: http-{}", client, response.status());
                return Optional.empty();
            }
            JsonNode body = bodies.readObject(response.body());
            if (body == null) {
                log.warn("user info of {} not available: not-json", client);
                return Optional.empty();
            }
            JsonNode value = body.at(pointer);
            if (!(value.isTextual() || value.isNumber())
                    || value.asText().isBlank()
                    || value.asText().length() > LONGEST_HANDLE
                    || value.asText().chars().anyMatch(Character::isISOControl)) {
                log.info("user info of {} has no usable handle at {}", client, oauth.handleField());
                return Optional.empty();
            }
            return Optional.of(value.asText());
        } catch (Exception e) {
            log.warn(
                    "user info of {} not available: {}",
                    client,
                    FailureClassifier.fromException(e).reason());
            return Optional.empty();
        }
    }
}
