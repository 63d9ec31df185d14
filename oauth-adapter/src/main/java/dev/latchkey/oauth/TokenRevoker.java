package dev.latchkey.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.scribejava.core.revoke.TokenTypeHint;
import dev.latchkey.domain.connection.RevocationOutcome;
import dev.latchkey.domain.provider.ProviderClient;
import dev.latchkey.domain.provider.RevocationResult;
import dev.latchkey.domain.secret.Secret;
import dev.latchkey.oauth.http.ProviderResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 7009 revocation: the refresh token first (revoking it usually ends the access tokens of the grant too), then
 * the access token, each with its {@code token_type_hint} and the client's authentication. 200 and 204 both count.
 */
final class TokenRevoker {

    private static final Logger log = LoggerFactory.getLogger(TokenRevoker.class);

    private final ProviderCalls calls;
    private final TokenResponseParser bodies;

    TokenRevoker(ProviderCalls calls, TokenResponseParser bodies) {
        this.calls = calls;
        this.bodies = bodies;
    }

    RevocationResult revoke(
            ProviderClient client, ProviderOAuth20Service service, Secret refreshToken, Secret accessToken) {
        if (client.provider().oauth().revokeEndpoint() == null) {
            return new RevocationResult(RevocationOutcome.UNSUPPORTED, RevocationOutcome.UNSUPPORTED);
        }
        RevocationOutcome refresh = revokeOne(client, service, refreshToken, TokenTypeHint.REFRESH_TOKEN);
        RevocationOutcome access = revokeOne(client, service, accessToken, TokenTypeHint.ACCESS_TOKEN);
        return new RevocationResult(refresh, access);
    }

    private RevocationOutcome revokeOne(
            ProviderClient client, ProviderOAuth20Service service, Secret token, TokenTypeHint hint) {
        if (token == null) {
            return RevocationOutcome.UNSUPPORTED;
        }
        try {
            ProviderResponse response = calls.send(service, service.revocationRequest(token, hint));
            if (response.status() == 200 || response.status() == 204) {
                return RevocationOutcome.REVOKED;
            }
            JsonNode body = bodies.readObject(response.body());
            if (body != null
                    && "unsupported_token_type".equals(body.path("error").asText())) {
                return RevocationOutcome.UNSUPPORTED;
            }
            log.warn("revoking the {} at {} failed: http-{}", hint.getValue(), client, response.status());
            return RevocationOutcome.FAILED;
        } catch (Exception e) {
            log.warn(
                    "revoking the {} at {} failed: {}",
                    hint.getValue(),
                    client,
                    FailureClassifier.fromException(e).reason());
            return RevocationOutcome.FAILED;
        }
    }
}
