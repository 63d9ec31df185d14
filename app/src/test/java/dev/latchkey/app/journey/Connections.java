package dev.latchkey.app.journey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.testsupport.TestAuthorizationServer;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;

/** The steps every journey test starts with: an installed, ready application and connected accounts. */
final class Connections {

    private final Api api;
    private final TestAuthorizationServer provider;

    Connections(Api api, TestAuthorizationServer provider) {
        this.api = api;
        this.provider = provider;
    }

    void installReady(String applicationId) {
        String admin = JourneyFixtures.admin();
        assertThat(api.put(
                                admin,
                                "/v1/applications/" + applicationId,
                                JourneyFixtures.manifest(applicationId, provider))
                        .status())
                .isEqualTo(200);
        assertThat(api.put(
                                admin,
                                "/v1/applications/" + applicationId + "/server-variables/ACME_CLIENT_ID",
                                Map.of("value", JourneyTest.CLIENT.id()))
                        .status())
                .isEqualTo(204);
        assertThat(api.put(
                                admin,
                                "/v1/applications/" + applicationId + "/server-variables/ACME_CLIENT_SECRET",
                                Map.of("value", JourneyTest.CLIENT.secret()))
                        .status())
                .isEqualTo(204);
    }

    /** Starts a connection as {@code member}; answers the connection id and the authorize URL. */
    Api.Answer start(String member, String applicationId, String visibility, String returnUrl) {
        Map<String, Object> body = returnUrl == null
                ? Map.of("applicationId", applicationId, "providerName", "acme", "visibility", visibility)
                : Map.of(
                        "applicationId",
                        applicationId,
                        "providerName",
                        "acme",
                        "visibility",
                        visibility,
                        "returnUrl",
                        returnUrl);
        Api.Answer started = api.post(member, "/v1/connections", body);
        assertThat(started.status()).as(started.raw().body()).isEqualTo(201);
        return started;
    }

    /** A connected account: started, consented in a fresh browser, called back. Answers the connection id. */
    String connect(String member, String applicationId, String visibility) {
        Api.Answer started = start(member, applicationId, visibility, null);
        Browser browser = new Browser();
        URI callback =
                browser.consent(URI.create(started.body().path("authorizeUrl").asText()), provider);
        HttpResponse<String> page = browser.get(callback);
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).contains("Connected");
        return started.body().path("connectionId").asText();
    }
}
