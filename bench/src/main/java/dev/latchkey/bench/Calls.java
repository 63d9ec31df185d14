package dev.latchkey.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** JSON calls from the driver to the server: Latchkey's API with a bearer token, and the {@code /bench/**} endpoints. */
final class Calls {

    private static final Duration LONGEST_CALL = Duration.ofMinutes(8);

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final String baseUrl;

    Calls(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    JsonNode bench(String method, String path, Object... parameters) throws Exception {
        Map<String, String> query = new LinkedHashMap<>();
        for (int i = 0; i + 1 < parameters.length; i += 2) {
            query.put(parameters[i].toString(), parameters[i + 1].toString());
        }
        String queryString = query.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(baseUrl + "/bench" + path + (queryString.isEmpty() ? "" : "?" + queryString)))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(LONGEST_CALL)
                .build();
        return answer(request);
    }

    JsonNode api(String method, String path, String token, Object body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60))
                .build();
        return answer(request);
    }

    private JsonNode answer(HttpRequest request) throws Exception {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(request.method() + " "
                    + request.uri().getPath() + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body().isEmpty() ? json.nullNode() : json.readTree(response.body());
    }
}
