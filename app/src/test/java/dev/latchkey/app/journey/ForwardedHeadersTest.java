package dev.latchkey.app.journey;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * RFC 9700 §4.1 (redirect URI manipulation): the authorize link and the {@code redirect_uri} sent to the provider come
 * from {@code LATCHKEY_PUBLIC_URL}, never from what a request says about its host.
 */
class ForwardedHeadersTest extends JourneyTest {

    static final String[] SPOOFED = {
        "X-Forwarded-Host", "evil.example",
        "X-Forwarded-Proto", "https",
        "X-Forwarded-Port", "443",
        "X-Forwarded-Prefix", "/evil",
        "Forwarded", "host=evil.example;proto=https"
    };

    @Test
    void spoofedForwardedHeadersChangeNeitherTheAuthorizeLinkNorTheRedirectUri() throws Exception {
        Api.Answer started = api.send(
                alice,
                "POST",
                "/v1/connections",
                Map.of("applicationId", applicationId, "providerName", "acme", "visibility", "user"),
                SPOOFED);
        assertThat(started.status()).as(started.raw().body()).isEqualTo(201);
        String authorizeUrl = started.body().path("authorizeUrl").asText();
        assertThat(authorizeUrl).startsWith(PUBLIC_URL + "/apps/oauth/authorize?");

        HttpRequest.Builder authorize = HttpRequest.newBuilder(URI.create(authorizeUrl));
        for (int i = 0; i < SPOOFED.length; i += 2) {
            authorize.header(SPOOFED[i], SPOOFED[i + 1]);
        }
        HttpResponse<Void> toProvider = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .build()
                .send(authorize.build(), HttpResponse.BodyHandlers.discarding());

        assertThat(toProvider.statusCode()).isEqualTo(302);
        String location = toProvider.headers().firstValue("Location").orElseThrow();
        String redirectUri = UriComponentsBuilder.fromUriString(location)
                .build()
                .getQueryParams()
                .getFirst("redirect_uri");
        assertThat(URLDecoder.decode(redirectUri, StandardCharsets.UTF_8)).isEqualTo(CALLBACK);
        assertThat(location).doesNotContain("evil");
    }
}
