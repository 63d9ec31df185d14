package dev.latchkey.app.journey;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RFC 9207 through the browser: a provider whose manifest declares an issuer must name it on the callback. */
class CallbackIssuerJourneyTest extends JourneyTest {

    @Override
    boolean installsReadyApplication() {
        return false;
    }

    @Test
    void aCallbackWithoutIssIsRefusedWhenTheManifestDeclaresAnIssuerAndTheRightOnePasses() {
        String issuer = provider.url("");
        installWithIssuer(issuer);
        Api.Answer started = connections.start(alice, applicationId, "user", null);
        Browser browser = new Browser();
        URI callback = withoutIss(
                browser.consent(URI.create(started.body().path("authorizeUrl").asText()), provider));

        HttpResponse<String> missing = browser.get(callback);
        HttpResponse<String> wrong = browser.get(URI.create(callback + "&iss=" + encoded("https://evil.example")));

        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(wrong.statusCode()).isEqualTo(400);
        String connectionId = started.body().path("connectionId").asText();
        assertThat(api.get(alice, "/v1/connections/" + connectionId)
                        .body()
                        .path("status")
                        .asText())
                .isEqualTo("pending");
        // nothing was used up: the same callback naming the right issuer completes the connection
        HttpResponse<String> right = browser.get(URI.create(callback + "&iss=" + encoded(issuer)));
        assertThat(right.statusCode()).as(right.body()).isEqualTo(200);
        assertThat(right.body()).contains("Connected");
        assertThat(api.get(alice, "/v1/connections/" + connectionId)
                        .body()
                        .path("status")
                        .asText())
                .isEqualTo("active");
    }

    @SuppressWarnings("unchecked")
    private void installWithIssuer(String issuer) {
        Map<String, Object> manifest = new HashMap<>(JourneyFixtures.manifest(applicationId, provider));
        Map<String, Object> acme =
                new HashMap<>(((List<Map<String, Object>>) manifest.get("connectionProviders")).get(0));
        Map<String, Object> oauth = new HashMap<>((Map<String, Object>) acme.get("oauth"));
        oauth.put("issuer", issuer);
        acme.put("oauth", oauth);
        manifest.put("connectionProviders", List.of(acme));
        String admin = JourneyFixtures.admin();
        assertThat(api.put(admin, "/v1/applications/" + applicationId, manifest).status())
                .isEqualTo(200);
        for (String[] variable :
                new String[][] {{"ACME_CLIENT_ID", CLIENT.id()}, {"ACME_CLIENT_SECRET", CLIENT.secret()}}) {
            assertThat(api.put(
                                    admin,
                                    "/v1/applications/" + applicationId + "/server-variables/" + variable[0],
                                    Map.of("value", variable[1]))
                            .status())
                    .isEqualTo(204);
        }
    }

    /** The test authorization server may or may not send iss; the test decides what the callback carries. */
    private static URI withoutIss(URI callback) {
        String query = callback.getRawQuery();
        StringBuilder kept = new StringBuilder();
        for (String pair : query.split("&")) {
            if (!pair.startsWith("iss=")) {
                kept.append(kept.length() == 0 ? "" : "&").append(pair);
            }
        }
        String base = callback.toString();
        return URI.create(base.substring(0, base.indexOf('?') + 1) + kept);
    }

    private static String encoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
