package dev.latchkey.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.app.LatchkeySpringTest;
import dev.latchkey.query.application.ApplicationViewProjection;
import dev.latchkey.query.connection.ConnectionViewProjection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** What a probe, a scraper and a caller without a token get over HTTP. */
class ActuatorEndpointsTest extends LatchkeySpringTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Autowired
    EventProcessingConfiguration processing;

    @Test
    void healthListsEveryEventProcessorWithWhatItHasParked() throws Exception {
        JsonNode processors =
                new ObjectMapper().readTree(get("/actuator/health").body()).at("/components/eventProcessors");

        assertThat(processors.path("status").asText()).isEqualTo("UP");
        for (String name : processing.eventProcessors().keySet()) {
            assertThat(processors.at("/details/" + name + "/status").asText())
                    .as(name)
                    .isEqualTo("UP");
            assertThat(processors.at("/details/" + name + "/parked").isNumber())
                    .as(name)
                    .isTrue();
        }
        assertThat(processors.path("details").has(ConnectionViewProjection.PROCESSING_GROUP))
                .isTrue();
    }

    @Test
    void healthIsDownAndNamesAProcessorThatStopped() throws Exception {
        EventProcessor view = processing
                .eventProcessor(ApplicationViewProjection.PROCESSING_GROUP)
                .orElseThrow();
        view.shutDown();
        try {
            HttpResponse<String> response = get("/actuator/health");

            assertThat(response.statusCode()).isEqualTo(503);
            JsonNode processors = new ObjectMapper().readTree(response.body()).at("/components/eventProcessors");
            assertThat(processors.path("status").asText()).isEqualTo("DOWN");
            assertThat(processors.at("/details/down/0").asText()).isEqualTo(ApplicationViewProjection.PROCESSING_GROUP);
            assertThat(processors
                            .at("/details/" + ApplicationViewProjection.PROCESSING_GROUP + "/reason")
                            .asText())
                    .isEqualTo("stopped");
        } finally {
            view.start();
        }
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> get("/actuator/health").statusCode() == 200);
    }

    @Test
    void prometheusHasEachStreamingProcessorsLag() throws Exception {
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(get("/actuator/prometheus").body())
                        .containsPattern("latchkey_event_processor_lag\\{processor=\"connection-view\"\\} [0-9]")
                        .contains("latchkey_event_processor_lag{processor=\"application-view\"}"));
    }

    @Test
    void prometheusHasTheRefreshSchedulesBacklogAndConnectionsByHealth() throws Exception {
        String metrics = get("/actuator/prometheus").body();

        assertThat(metrics)
                .containsPattern("latchkey_refresh_backlog [0-9]")
                .containsPattern("latchkey_connections\\{health=\"ok\"\\} [0-9]")
                .containsPattern("latchkey_connections\\{health=\"retrying\"\\} [0-9]")
                .containsPattern("latchkey_connections\\{health=\"expiring\"\\} [0-9]");
    }

    @Test
    void healthIsUpWithoutAToken() throws Exception {
        HttpResponse<String> response = get("/actuator/health");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"UP\"");
    }

    @Test
    void prometheusMetricsAreServedWithoutAToken() throws Exception {
        HttpResponse<String> response = get("/actuator/prometheus");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("jvm_memory_used_bytes");
    }

    @Test
    void theOpenApiDescriptionIsServedWithoutAToken() throws Exception {
        HttpResponse<String> response = get("/v3/api-docs");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("/v1/connections").contains("/v1/applications/{applicationId}");
    }

    @Test
    void everythingElseAsksForAToken() throws Exception {
        assertThat(get("/v1/connections").statusCode()).isEqualTo(401);
        assertThat(get("/actuator/env").statusCode()).isEqualTo(401);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
