package dev.latchkey.oauth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.scribejava.core.model.OAuthRequest;
import com.github.scribejava.core.model.Parameter;
import dev.latchkey.domain.application.TokenRequestContentType;

/**
 * Turns the parameters ScribeJava collected on a token request into the body the provider wants: form-urlencoded, or
 * a JSON object sent as UTF-8 bytes (a String payload would be encoded in the platform charset).
 */
final class TokenRequestBody {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TokenRequestBody() {}

    static OAuthRequest encode(OAuthRequest request, TokenRequestContentType contentType) {
        request.addHeader("Accept", "application/json");
        if (contentType == TokenRequestContentType.JSON) {
            ObjectNode body = JSON.createObjectNode();
            for (Parameter parameter : request.getBodyParams().getParams()) {
                body.put(parameter.getKey(), parameter.getValue());
            }
            try {
                request.setPayload(JSON.writeValueAsBytes(body));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("an object of strings always serialises");
            }
            request.addHeader("Content-Type", "application/json");
        } else {
            request.setCharset("UTF-8");
            request.addHeader("Content-Type", "application/x-www-form-urlencoded");
        }
        return request;
    }
}
