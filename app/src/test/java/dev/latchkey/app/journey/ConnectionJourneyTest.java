package dev.latchkey.app.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A connection from install to disconnect, through Latchkey's HTTP API and a person's browser, against a real
 * authorization server: every token is checked at the provider itself.
 */
class ConnectionJourneyTest extends JourneyTest {

    final Browser browser = new Browser();

    @Override
    boolean installsReadyApplication() {
        return false; // this journey installs it step by step
    }

    @Test
    void aConnectionFromInstallToDisconnect() {
        String admin = JourneyFixtures.admin();
        String alicesFunction = JourneyFixtures.function(workspace, applicationId, "http-route", "uw-alice");
        String cron = JourneyFixtures.function(workspace, applicationId, "cron", null);

        // install: the provider needs its client credentials first
        Api.Answer installed =
                api.put(admin, "/v1/applications/" + applicationId, JourneyFixtures.manifest(applicationId, provider));
        assertThat(installed.status())
                .as(installed.header("WWW-Authenticate") + installed.raw().body())
                .isEqualTo(200);
        assertThat(installed.body().path("callbackUrl").asText()).isEqualTo(CALLBACK);
        assertThat(installed.body().at("/connectionProviders/0/status").asText())
                .isEqualTo("needs-server-admin");
        Api.Answer notReady = api.post(alice, "/v1/connections", start("user"));
        assertThat(notReady.status()).isEqualTo(409);
        assertThat(notReady.body().path("type").asText()).endsWith("/needs-server-admin");

        assertThat(api.put(admin, variable("ACME_CLIENT_ID"), Map.of("value", CLIENT.id()))
                        .status())
                .isEqualTo(204);
        assertThat(api.put(admin, variable("ACME_CLIENT_SECRET"), Map.of("value", CLIENT.secret()))
                        .status())
                .isEqualTo(204);
        Api.Answer ready = api.get(admin, "/v1/applications/" + applicationId);
        assertThat(ready.body().at("/connectionProviders/0/status").asText()).isEqualTo("ready");
        assertThat(ready.body().at("/serverVariables/ACME_CLIENT_SECRET/isSet").asBoolean())
                .isTrue();
        assertThat(ready.raw().body()).doesNotContain(CLIENT.secret());

        // start: the gateway hands the authorize URL to Alice's browser
        Api.Answer started = api.post(alice, "/v1/connections", start("user"));
        assertThat(started.status()).isEqualTo(201);
        String connectionId = started.body().path("connectionId").asText();
        URI authorizeUrl = URI.create(started.body().path("authorizeUrl").asText());
        assertThat(authorizeUrl.toString()).startsWith(PUBLIC_URL + "/apps/oauth/authorize?ticket=");

        HttpResponse<String> toProvider = browser.get(authorizeUrl);
        assertThat(toProvider.statusCode()).isEqualTo(302);
        assertThat(Browser.location(toProvider)).startsWith(provider.url("/oauth2/authorize"));
        assertThat(toProvider.headers().allValues("Set-Cookie"))
                .anySatisfy(cookie -> assertThat(cookie)
                        .startsWith("latchkey_binding_" + connectionId + "=")
                        .contains("HttpOnly")
                        .contains("SameSite=Lax"));
        assertThat(browser.get(authorizeUrl).statusCode())
                .as("a ticket is single use")
                .isEqualTo(400);

        URI callback = browser.consentAtProvider(URI.create(Browser.location(toProvider)), provider);
        assertThat(callback.toString()).startsWith(CALLBACK + "?");
        HttpResponse<String> back = browser.get(callback);
        assertThat(back.statusCode()).isEqualTo(303);
        assertThat(Browser.location(back))
                .isEqualTo(JourneyFixtures.RETURN_URL + "?connectionId=" + connectionId + "&status=success");
        assertThat(back.headers().firstValue("Cache-Control"))
                .hasValueSatisfying(v -> assertThat(v).contains("no-store"));
        assertThat(back.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");

        // Alice's logic function gets a token that works at the provider
        JsonNode listed = only(api.get(alicesFunction, "/v1/connections?providerName=acme"));
        assertThat(listed.path("id").asText()).isEqualTo(connectionId);
        assertThat(listed.path("status").asText()).isEqualTo("active");
        assertThat(listed.path("name").asText()).isEqualTo("Acme #1");
        assertThat(listed.path("scopes")).extracting(JsonNode::asText).containsExactlyInAnyOrder("read", "write");
        assertThat(listed.has("refreshToken")).isFalse();
        String firstToken = listed.path("accessToken").asText();
        assertThat(provider.isActive(firstToken)).isTrue();
        assertThat(only(api.get(alice, "/v1/connections")).has("accessToken"))
                .as("a member read carries no token")
                .isFalse();
        assertThat(api.get(cron, "/v1/connections").body().path("items"))
                .as("cron does not see a private connection")
                .isEmpty();

        // the token nears its expiry: the next read hands out a refreshed one, which works too
        AtomicReference<String> refreshed = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    JsonNode again = only(api.get(alicesFunction, "/v1/connections?providerName=acme"));
                    assertThat(again.path("accessToken").asText()).isNotEqualTo(firstToken);
                    refreshed.set(again.path("accessToken").asText());
                });
        assertThat(provider.isActive(refreshed.get())).isTrue();

        // rename and share
        Api.Answer renamed = api.patch(alice, "/v1/connections/" + connectionId, Map.of("name", "Work Acme"));
        assertThat(renamed.status()).isEqualTo(200);
        assertThat(renamed.body().path("name").asText()).isEqualTo("Work Acme");
        Api.Answer shared = api.patch(alice, "/v1/connections/" + connectionId, Map.of("visibility", "workspace"));
        assertThat(shared.body().path("visibility").asText()).isEqualTo("workspace");
        JsonNode seenByCron = only(api.get(cron, "/v1/connections"));
        assertThat(seenByCron.path("name").asText()).isEqualTo("Work Acme");

        // disconnect: revoked at the provider, gone from every list
        String latest = seenByCron.path("accessToken").asText();
        Api.Answer revoked = api.delete(alice, "/v1/connections/" + connectionId);
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.body().at("/revoked/refreshToken").asText()).isEqualTo("revoked");
        assertThat(revoked.body().at("/revoked/accessToken").asText()).isEqualTo("revoked");
        assertThat(provider.isActive(latest)).isFalse();
        assertThat(api.get(cron, "/v1/connections").body().path("items")).isEmpty();
        assertThat(api.get(alice, "/v1/connections/" + connectionId).status()).isEqualTo(404);
    }

    private Map<String, Object> start(String visibility) {
        return Map.of(
                "applicationId",
                applicationId,
                "providerName",
                "acme",
                "visibility",
                visibility,
                "returnUrl",
                JourneyFixtures.RETURN_URL);
    }

    private String variable(String name) {
        return "/v1/applications/" + applicationId + "/server-variables/" + name;
    }

    private static JsonNode only(Api.Answer answer) {
        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(200);
        List<JsonNode> items = new java.util.ArrayList<>();
        answer.body().path("items").forEach(items::add);
        assertThat(items).hasSize(1);
        return items.get(0);
    }
}
