package dev.latchkey.app.journey;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * A logic function whose access token the provider refused (401) asks for a refresh naming that token
 * ({@code failedAccessToken}), against the real rotating authorization server: many functions hitting the 401 at
 * once cause one refresh, a function naming a token already replaced gets the current one without a provider call,
 * and naming the current token is never throttled.
 */
class FailedAccessTokenTest extends JourneyTest {

    static final int CALLERS = 50;

    @Test
    void fiftyFunctionsRefusedWithTheSameTokenCauseOneRefreshAndAllGetTheNewToken() throws Exception {
        String id = connections.connect(alice, applicationId, "workspace");
        String function = JourneyFixtures.function(workspace, applicationId, "cron", null);
        String failed = api.get(function, "/v1/connections/" + id)
                .body()
                .path("accessToken")
                .asText();
        int grantsBefore = provider.refreshGrants();

        Set<String> answered = concurrently(CALLERS, () -> {
            Api.Answer answer =
                    api.post(function, "/v1/connections/" + id + "/refresh", Map.of("failedAccessToken", failed));
            assertThat(answer.status()).as(answer.raw().body()).isEqualTo(200);
            return answer.body().path("accessToken").asText();
        });

        assertThat(provider.refreshGrants() - grantsBefore).isEqualTo(1);
        assertThat(answered).hasSize(1).doesNotContain(failed, "");
        assertThat(provider.isActive(answered.iterator().next())).isTrue();
    }

    @Test
    void aTokenReplacedAlreadyIsAnsweredWithTheCurrentOneWithoutCallingTheProvider() {
        String id = connections.connect(alice, applicationId, "workspace");
        String function = JourneyFixtures.function(workspace, applicationId, "cron", null);
        String old = api.get(function, "/v1/connections/" + id)
                .body()
                .path("accessToken")
                .asText();
        Api.Answer forced = api.post(function, "/v1/connections/" + id + "/refresh", null);
        assertThat(forced.status()).isEqualTo(200);
        String current = forced.body().path("accessToken").asText();
        int grantsBefore = provider.refreshGrants();

        Api.Answer answer = api.post(function, "/v1/connections/" + id + "/refresh", Map.of("failedAccessToken", old));

        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(200);
        assertThat(answer.body().path("accessToken").asText()).isEqualTo(current);
        assertThat(provider.refreshGrants()).isEqualTo(grantsBefore);
    }

    @Test
    void namingTheCurrentTokenIsNeverThrottledThoughAnotherForcedRefreshIs() {
        String id = connections.connect(alice, applicationId, "workspace");
        String function = JourneyFixtures.function(workspace, applicationId, "cron", null);
        Api.Answer forced = api.post(function, "/v1/connections/" + id + "/refresh", null);
        assertThat(forced.status()).isEqualTo(200);
        String current = forced.body().path("accessToken").asText();

        // within the ten seconds that throttle forced refreshes
        Api.Answer throttled = api.post(function, "/v1/connections/" + id + "/refresh", null);
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.body().path("type").asText()).endsWith("/refresh-throttled");
        assertThat(throttled.raw().headers().firstValue("Retry-After")).isPresent();
        Api.Answer failedWithCurrent =
                api.post(function, "/v1/connections/" + id + "/refresh", Map.of("failedAccessToken", current));

        assertThat(failedWithCurrent.status())
                .as(failedWithCurrent.raw().body())
                .isEqualTo(200);
        String replacement = failedWithCurrent.body().path("accessToken").asText();
        assertThat(replacement).isNotEqualTo(current);
        assertThat(provider.isActive(replacement)).isTrue();
    }

    @Test
    void aFailedAccessTokenThatIsNoTokenIsRefusedNamingTheField() {
        String id = connections.connect(alice, applicationId, "workspace");
        String function = JourneyFixtures.function(workspace, applicationId, "cron", null);
        int grantsBefore = provider.refreshGrants();

        Api.Answer empty = api.post(function, "/v1/connections/" + id + "/refresh", Map.of("failedAccessToken", ""));
        Api.Answer huge =
                api.post(function, "/v1/connections/" + id + "/refresh", Map.of("failedAccessToken", "x".repeat(9000)));

        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.raw().body()).contains("failedAccessToken");
        assertThat(huge.status()).isEqualTo(400);
        assertThat(huge.raw().body()).contains("failedAccessToken").doesNotContain("xxxxxxxx");
        assertThat(provider.refreshGrants()).isEqualTo(grantsBefore);
    }

    private static Set<String> concurrently(int callers, java.util.concurrent.Callable<String> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return call.call();
                }));
            }
            go.countDown();
            Set<String> distinct = new HashSet<>();
            for (Future<String> answer : answers) {
                distinct.add(answer.get());
            }
            return distinct;
        } finally {
            pool.shutdownNow();
        }
    }
}
