package dev.latchkey.app.journey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.testsupport.TestAuthorizationServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * A person's browser, driven headlessly: it keeps cookies, follows no redirect by itself (so each hop can be
 * checked), and logs in at the test authorization server when asked.
 */
public final class Browser {

    private final HttpClient http = HttpClient.newBuilder()
            .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    public HttpResponse<String> get(URI url) {
        return send(
                HttpRequest.newBuilder(url).header("Accept", "text/html").GET().build());
    }

    public static String location(HttpResponse<?> response) {
        return response.headers().firstValue("Location").orElse(null);
    }

    /**
     * Opens Latchkey's authorize URL and consents at the provider: returns the provider's redirect to Latchkey's
     * callback, not yet followed.
     */
    public URI consent(URI authorizeUrl, TestAuthorizationServer provider) {
        HttpResponse<String> toProvider = get(authorizeUrl);
        assertThat(toProvider.statusCode()).isEqualTo(302);
        return consentAtProvider(URI.create(location(toProvider)), provider);
    }

    /** Consents at the provider's authorization URL, logging in when asked. */
    public URI consentAtProvider(URI providerUrl, TestAuthorizationServer provider) {
        HttpResponse<String> answer = get(providerUrl);
        if (location(answer) != null && location(answer).endsWith("/login")) {
            provider.logIn(http);
            answer = get(providerUrl);
        }
        assertThat(answer.statusCode())
                .as("the provider redirects back: %s %s", providerUrl, answer.body())
                .isEqualTo(302);
        return URI.create(location(answer));
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
