package dev.latchkey.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import mockwebserver3.MockResponse;

/** Answers for the stub provider (OkHttp's MockWebServer) and the settings that let the adapter reach it. */
final class Stub {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Stub() {}

    static ProviderExchangeSettings loopbackSettings() {
        return ProviderExchangeSettings.defaults()
                .withAllowInsecureLoopback(true)
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2));
    }

    static MockResponse json(int status, String body) {
        return new MockResponse.Builder()
                .code(status)
                .addHeader("Content-Type", "application/json;charset=UTF-8")
                .body(body)
                .build();
    }

    /** An answer with any content type, for bodies that are not JSON; a null type sends no Content-Type. */
    static MockResponse body(int status, String contentType, String body) {
        MockResponse.Builder answer = new MockResponse.Builder().code(status).body(body);
        if (contentType != null) {
            answer.addHeader("Content-Type", contentType);
        }
        return answer.build();
    }

    static MockResponse tokens(String accessToken, String refreshToken) {
        return json(
                200,
                "{\"access_token\":\"" + accessToken + "\",\"token_type\":\"Bearer\",\"expires_in\":3600,"
                        + "\"refresh_token\":\"" + refreshToken + "\",\"scope\":\"read write\"}");
    }

    static JsonNode parse(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
