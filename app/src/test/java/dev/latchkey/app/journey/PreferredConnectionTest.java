package dev.latchkey.app.journey;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/connections/preferred}: the seed's advice as one call. The request user's own active connection
 * (newest first), else the workspace's (newest first), never an auth-failed one, and a {@code not-connected} answer a
 * person can act on.
 */
class PreferredConnectionTest extends JourneyTest {

    private static final String PREFERRED = "/v1/connections/preferred?providerName=acme";

    @Test
    void thePersonsOwnConnectionComesFirstThenTheNewestSharedOne() {
        String bob = JourneyFixtures.member(workspace, "uw-bob");
        String olderShared = connections.connect(bob, applicationId, "workspace");
        String newerShared = connections.connect(bob, applicationId, "workspace");
        String alicesOwn = connections.connect(alice, applicationId, "user");

        assertThat(preferredId(alice)).isEqualTo(alicesOwn);
        assertThat(preferredId(bob)).isEqualTo(newerShared).isNotEqualTo(olderShared);

        // a logic function run for Alice gets her own one, with its token; a cron run gets the shared one
        JsonNode forAlice = preferred(JourneyFixtures.function(workspace, applicationId, "http-route", "uw-alice"));
        assertThat(forAlice.path("id").asText()).isEqualTo(alicesOwn);
        assertThat(provider.isActive(forAlice.path("accessToken").asText())).isTrue();
        JsonNode forCron = preferred(JourneyFixtures.function(workspace, applicationId, "cron", null));
        assertThat(forCron.path("id").asText()).isEqualTo(newerShared);
        assertThat(provider.isActive(forCron.path("accessToken").asText())).isTrue();
        // a member call hands out no token
        assertThat(api.get(alice, PREFERRED + "&applicationId=" + applicationId)
                        .body()
                        .has("accessToken"))
                .isFalse();
    }

    @Test
    void anAuthFailedConnectionIsNeverPreferred() {
        String bob = JourneyFixtures.member(workspace, "uw-bob");
        String shared = connections.connect(bob, applicationId, "workspace");
        String alicesOwn = connections.connect(alice, applicationId, "user");
        String function = JourneyFixtures.function(workspace, applicationId, "http-route", "uw-alice");
        assertThat(api.post(function, "/v1/connections/" + alicesOwn + "/auth-failure", Map.of("reason", "401"))
                        .status())
                .isEqualTo(204);

        assertThat(preferredId(alice)).isEqualTo(shared);
        assertThat(preferred(function).path("id").asText()).isEqualTo(shared);
    }

    @Test
    void withoutAnActiveConnectionTheAnswerSaysWhatThePersonCanDo() {
        Api.Answer none = api.get(alice, PREFERRED + "&applicationId=" + applicationId);

        assertThat(none.status()).isEqualTo(404);
        assertThat(none.body().path("type").asText()).endsWith("/not-connected");
        assertThat(none.body().path("detail").asText()).contains("Add connection");

        // pending connections are not preferred either
        connections.start(alice, applicationId, "user", null);
        assertThat(api.get(alice, PREFERRED + "&applicationId=" + applicationId).status())
                .isEqualTo(404);
        // Bob's private connection is not Alice's to use
        connections.connect(JourneyFixtures.member(workspace, "uw-bob"), applicationId, "user");
        assertThat(api.get(alice, PREFERRED + "&applicationId=" + applicationId).status())
                .isEqualTo(404);
    }

    @Test
    void anUnknownProviderIsNotConnectedAndAReadCallerMustNameTheApplication() {
        connections.connect(alice, applicationId, "workspace");

        Api.Answer unknown =
                api.get(alice, "/v1/connections/preferred?providerName=nope&applicationId=" + applicationId);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().path("type").asText()).endsWith("/not-connected");
        Api.Answer noName = api.get(alice, "/v1/connections/preferred?providerName=Not%20A%20Name&applicationId=x");
        assertThat(noName.status()).isEqualTo(404);

        Api.Answer withoutApplication = api.get(alice, PREFERRED);
        assertThat(withoutApplication.status()).isEqualTo(400);
        assertThat(withoutApplication.raw().body()).contains("applicationId");
        Api.Answer withoutProvider = api.get(alice, "/v1/connections/preferred?applicationId=" + applicationId);
        assertThat(withoutProvider.status()).isEqualTo(400);
        assertThat(withoutProvider.raw().body()).contains("providerName");
        // another workspace's caller finds nothing of this one
        String stranger = JourneyFixtures.member("ws-elsewhere-" + workspace, "uw-alice");
        assertThat(api.get(stranger, PREFERRED + "&applicationId=" + applicationId)
                        .status())
                .isEqualTo(404);
    }

    private String preferredId(String member) {
        Api.Answer answer = api.get(member, PREFERRED + "&applicationId=" + applicationId);
        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(200);
        return answer.body().path("id").asText();
    }

    private JsonNode preferred(String token) {
        Api.Answer answer = api.get(token, PREFERRED);
        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(200);
        return answer.body();
    }
}
