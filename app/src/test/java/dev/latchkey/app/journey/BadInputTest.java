package dev.latchkey.app.journey;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.axonframework.eventhandling.GenericEventMessage;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.util.UriComponentsBuilder;

/** Bad input gets a clear answer and changes nothing. */
class BadInputTest extends JourneyTest {

    @Autowired
    JdbcTemplate jdbc;

    /** A started flow in a browser that consented: the callback URL is known but not yet followed. */
    record Consented(String connectionId, Browser browser, URI callback) {}

    Consented consented(String returnUrl) {
        Api.Answer started = connections.start(alice, applicationId, "user", returnUrl);
        Browser browser = new Browser();
        URI callback =
                browser.consent(URI.create(started.body().path("authorizeUrl").asText()), provider);
        return new Consented(started.body().path("connectionId").asText(), browser, callback);
    }

    long events(String connectionId) {
        return jdbc.queryForObject(
                "select count(*) from domain_event_entry where aggregate_identifier = ?", Long.class, connectionId);
    }

    String status(String connectionId) {
        return api.get(alice, "/v1/connections/" + connectionId)
                .body()
                .path("status")
                .asText();
    }

    static URI withQuery(URI callback, String name, String value) {
        return UriComponentsBuilder.fromUri(callback)
                .replaceQueryParam(name, value)
                .build()
                .toUri();
    }

    static void assertHtmlError(HttpResponse<String> page) {
        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(page.headers().firstValue("Cache-Control"))
                .hasValueSatisfying(v -> assertThat(v).contains("no-store"));
        assertThat(page.body()).contains("<html").doesNotContain("Exception").doesNotContain("at dev.");
    }

    @Nested
    class TheCallback {

        @Test
        void anUnknownStateIsRefusedAndChangesNothing() {
            Consented flow = consented(null);
            long before = events(flow.connectionId());

            assertHtmlError(flow.browser().get(withQuery(flow.callback(), "state", "not-a-state-we-issued")));

            assertThat(events(flow.connectionId())).isEqualTo(before);
            assertThat(status(flow.connectionId())).isEqualTo("pending");
        }

        @Test
        void aReplayedStateIsRefused() {
            Consented flow = consented(null);
            assertThat(flow.browser().get(flow.callback()).statusCode()).isEqualTo(200);
            long before = events(flow.connectionId());

            assertHtmlError(flow.browser().get(flow.callback()));

            assertThat(events(flow.connectionId())).isEqualTo(before);
            assertThat(status(flow.connectionId())).isEqualTo("active");
        }

        @Test
        void anExpiredStateIsRefusedAndChangesNothing() {
            Consented flow = consented(null);
            long before = events(flow.connectionId());
            Clock real = GenericEventMessage.clock;
            GenericEventMessage.clock = Clock.offset(real, Duration.ofMinutes(11));
            try {
                assertHtmlError(flow.browser().get(flow.callback()));
            } finally {
                GenericEventMessage.clock = real;
            }
            assertThat(events(flow.connectionId())).isEqualTo(before);
            assertThat(status(flow.connectionId())).isEqualTo("pending");
        }

        @Test
        void aCallbackWithoutTheBrowserCookieIsRefusedAndTheRightBrowserCanStillFinish() {
            Consented flow = consented(null);
            long before = events(flow.connectionId());

            assertHtmlError(new Browser().get(flow.callback()));

            assertThat(events(flow.connectionId())).isEqualTo(before);
            assertThat(flow.browser().get(flow.callback()).statusCode()).isEqualTo(200);
            assertThat(status(flow.connectionId())).isEqualTo("active");
        }

        @Test
        void aDeniedConsentShowsTheErrorPageAndLeavesTheConnectionWithoutTokens() {
            Consented flow = consented(null);
            URI denied = UriComponentsBuilder.fromUri(flow.callback())
                    .replaceQueryParam("code")
                    .replaceQueryParam("error", "access_denied")
                    .build()
                    .toUri();

            HttpResponse<String> page = flow.browser().get(denied);

            assertHtmlError(page);
            assertThat(page.body()).contains("access_denied");
            assertThat(status(flow.connectionId())).isEqualTo("pending");
            assertThat(flow.browser().get(flow.callback()).statusCode())
                    .as("the state was used up by the denial")
                    .isEqualTo(400);
        }

        @Test
        void aDeniedConsentWithAReturnUrlGoesBackThereWithTheError() {
            Consented flow = consented(JourneyFixtures.RETURN_URL);
            URI denied = UriComponentsBuilder.fromUri(flow.callback())
                    .replaceQueryParam("code")
                    .replaceQueryParam("error", "access_denied")
                    .build()
                    .toUri();

            HttpResponse<String> back = flow.browser().get(denied);

            assertThat(back.statusCode()).isEqualTo(303);
            assertThat(Browser.location(back))
                    .isEqualTo(JourneyFixtures.RETURN_URL + "?connectionId=" + flow.connectionId()
                            + "&status=error&error=access_denied");
        }

        @Test
        void aCallbackWithoutACodeIsRefusedAndChangesNothing() {
            Consented flow = consented(null);
            long before = events(flow.connectionId());

            assertHtmlError(flow.browser()
                    .get(UriComponentsBuilder.fromUri(flow.callback())
                            .replaceQueryParam("code")
                            .build()
                            .toUri()));

            assertThat(events(flow.connectionId())).isEqualTo(before);
            assertThat(flow.browser().get(flow.callback()).statusCode()).isEqualTo(200);
        }

        @Test
        void anUnknownOrReusedTicketIsRefused() {
            assertHtmlError(new Browser().get(URI.create(PUBLIC_URL + "/apps/oauth/authorize?ticket=nope")));
            assertHtmlError(new Browser().get(URI.create(PUBLIC_URL + "/apps/oauth/authorize")));
        }
    }

    @Nested
    class TheApi {

        @Test
        void aReturnUrlThatIsNotAllowListedIsRefused() {
            Api.Answer answer = api.post(
                    alice,
                    "/v1/connections",
                    Map.of(
                            "applicationId", applicationId,
                            "providerName", "acme",
                            "visibility", "user",
                            "returnUrl", "https://evil.example.com/steal"));

            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
            assertThat(answer.body().at("/errors/0/field").asText()).isEqualTo("returnUrl");
            assertThat(api.get(alice, "/v1/connections").body().path("items")).isEmpty();
        }

        @Test
        void aStartRequestWithSeveralErrorsReportsThemAll() {
            Api.Answer answer =
                    api.post(alice, "/v1/connections", Map.of("providerName", "Not Valid", "visibility", "everyone"));

            assertThat(answer.status()).isEqualTo(400);
            assertThat(fields(answer)).containsExactlyInAnyOrder("applicationId", "providerName", "visibility");
        }

        @Test
        void aManifestWithSeveralErrorsReportsThemAllAndInstallsNothing() {
            String otherId = UUID.randomUUID().toString();
            Map<String, Object> manifest = new HashMap<>(JourneyFixtures.manifest(otherId, provider));
            manifest.put("displayName", "");
            manifest.put("allowedReturnUrls", List.of("not a url"));
            manifest.put("serverVariables", Map.of());

            Api.Answer answer = api.put(JourneyFixtures.admin(), "/v1/applications/" + otherId, manifest);

            assertThat(answer.status()).isEqualTo(400);
            assertThat(fields(answer))
                    .contains(
                            "displayName",
                            "allowedReturnUrls[0]",
                            "connectionProviders[0].oauth.clientIdVariable",
                            "connectionProviders[0].oauth.clientSecretVariable");
            assertThat(api.get(JourneyFixtures.admin(), "/v1/applications/" + otherId)
                            .status())
                    .isEqualTo(404);
        }

        @Test
        void anUnknownServerVariableIsNotFound() {
            Api.Answer answer = api.put(
                    JourneyFixtures.admin(),
                    "/v1/applications/" + applicationId + "/server-variables/NOT_DECLARED",
                    Map.of("value", "x"));

            assertThat(answer.status()).isEqualTo(404);
            assertThat(answer.body().path("type").asText()).endsWith("/unknown-server-variable");
        }

        @Test
        void tabAndNewlineAreKeptInAReasonButNoOtherControlCharacter() {
            String connectionId = connections.connect(alice, applicationId, "user");
            String function = JourneyFixtures.function(workspace, applicationId, "http-route", "uw-alice");

            Api.Answer refused = api.post(
                    function, "/v1/connections/" + connectionId + "/auth-failure", Map.of("reason", "401\u0000"));
            assertThat(refused.status()).isEqualTo(400);
            assertThat(fields(refused)).containsExactly("reason");

            Api.Answer taken = api.post(
                    function,
                    "/v1/connections/" + connectionId + "/auth-failure",
                    Map.of("reason", "401 from the API\n\tinvalid_token"));
            assertThat(taken.status()).isEqualTo(204);
            assertThat(api.get(alice, "/v1/connections/" + connectionId)
                            .body()
                            .path("authFailedReason")
                            .asText())
                    .isEqualTo("401 from the API\n\tinvalid_token");
        }

        @Test
        void aV1AnswerIsJsonWhateverTheAcceptHeaderAsks() {
            Api.Answer list = api.send(alice, "GET", "/v1/connections", null, "Accept", "text/html");
            assertThat(list.status()).isEqualTo(200);
            assertThat(list.header("Content-Type")).startsWith("application/json");

            Api.Answer missing = api.send(alice, "GET", "/v1/connections/nope", null, "Accept", "text/html");
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.header("Content-Type")).startsWith("application/problem+json");
        }

        @Test
        void aNulInAConnectionNameNeverReachesTheDatabaseAndOtherWorkspacesGoOn() {
            Api.Answer refused = api.post(
                    alice,
                    "/v1/connections",
                    Map.of(
                            "applicationId",
                            applicationId,
                            "providerName",
                            "acme",
                            "visibility",
                            "user",
                            "name",
                            "A\u0000"));
            assertThat(refused.status()).isEqualTo(400);
            assertThat(fields(refused)).containsExactly("name");

            String other = connections.connect(JourneyFixtures.member(workspace, "uw-bob"), applicationId, "user");
            assertThat(api.get(JourneyFixtures.member(workspace, "uw-bob"), "/v1/connections/" + other)
                            .status())
                    .isEqualTo(200);
        }

        @Test
        void malformedJsonIsABadRequest() {
            Api.Answer answer = api.send(alice, "POST", "/v1/connections", "{not json");
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        }
    }

    @Nested
    class Callers {

        @Test
        void aMissingOrBadTokenIsUnauthorized() {
            assertThat(api.get(null, "/v1/connections").status()).isEqualTo(401);
            assertThat(api.get("not.a.jwt", "/v1/connections").status()).isEqualTo(401);
            String expired = Api.token(
                    "sub", "x", "wid", workspace, "uwid", "uw-alice", "scope", "connections:read", "ttl", "PT-5M");
            Api.Answer answer = api.get(expired, "/v1/connections");
            assertThat(answer.status()).isEqualTo(401);
            assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
            assertThat(answer.header("WWW-Authenticate")).startsWith("Bearer");
        }

        @Test
        void aTokenWithoutTheScopeIsForbidden() {
            String readOnly = Api.token("sub", "x", "wid", workspace, "uwid", "uw-alice", "scope", "connections:read");
            assertThat(api.post(readOnly, "/v1/connections", Map.of()).status()).isEqualTo(403);
            assertThat(api.put(alice, "/v1/applications/" + applicationId, Map.of())
                            .status())
                    .isEqualTo(403);
        }

        @Test
        void theVisibilityMatrix() {
            String privateOne = connections.connect(alice, applicationId, "user");
            String sharedOne = connections.connect(alice, applicationId, "workspace");
            String otherApp = UUID.randomUUID().toString();

            assertThat(ids(alice)).containsExactly(privateOne, sharedOne);
            assertThat(ids(JourneyFixtures.function(workspace, applicationId, "http-route", "uw-alice")))
                    .containsExactly(privateOne, sharedOne);
            assertThat(ids(JourneyFixtures.member(workspace, "uw-bob"))).containsExactly(sharedOne);
            assertThat(ids(JourneyFixtures.function(workspace, applicationId, "http-route", "uw-bob")))
                    .containsExactly(sharedOne);
            assertThat(ids(JourneyFixtures.function(workspace, applicationId, "cron", null)))
                    .containsExactly(sharedOne);
            assertThat(ids(JourneyFixtures.function(workspace, applicationId, "database-event", null)))
                    .containsExactly(sharedOne);
            assertThat(ids(JourneyFixtures.function(workspace, otherApp, "cron", null)))
                    .isEmpty();
            assertThat(ids(JourneyFixtures.member("ws-other", "uw-alice"))).isEmpty();

            // what a caller may not see is not found, never forbidden
            assertThat(api.get(JourneyFixtures.member(workspace, "uw-bob"), "/v1/connections/" + privateOne)
                            .status())
                    .isEqualTo(404);
            assertThat(api.get(JourneyFixtures.member("ws-other", "uw-alice"), "/v1/connections/" + sharedOne)
                            .status())
                    .isEqualTo(404);
            assertThat(api.get(
                                    JourneyFixtures.function(workspace, otherApp, "cron", null),
                                    "/v1/connections/" + sharedOne)
                            .status())
                    .isEqualTo(404);
            assertThat(api.delete(JourneyFixtures.member(workspace, "uw-bob"), "/v1/connections/" + privateOne)
                            .status())
                    .isEqualTo(404);
            assertThat(ids(alice)).contains(privateOne);
            // a cron function asking for another app's connections gets none
            assertThat(api.get(
                                    JourneyFixtures.function(workspace, applicationId, "cron", null),
                                    "/v1/connections?applicationId=" + otherApp)
                            .body()
                            .path("items"))
                    .isEmpty();
        }

        private List<String> ids(String token) {
            Api.Answer answer = api.get(token, "/v1/connections");
            assertThat(answer.status()).as(answer.raw().body()).isEqualTo(200);
            List<String> ids = new ArrayList<>();
            answer.body().path("items").forEach(item -> ids.add(item.path("id").asText()));
            return ids;
        }
    }

    private static List<String> fields(Api.Answer answer) {
        List<String> fields = new ArrayList<>();
        for (JsonNode error : answer.body().path("errors")) {
            fields.add(error.path("field").asText());
        }
        return fields;
    }
}
