package dev.latchkey.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.testsupport.LeakScanner;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** The leak scanner itself: it finds what was planted, wherever and however it was written, and nothing else. */
class LeakScannerTest extends LatchkeySpringTest {

    private static final Logger log = LoggerFactory.getLogger(LeakScannerTest.class);

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcTemplate jdbc;

    /** Fresh each test, with characters that Base64 and URL encoding both change. */
    final String secret = "tok+/~?" + UUID.randomUUID() + "é&=";

    @Test
    void findsNothingOnACleanState() throws Exception {
        try (LeakScanner scanner = LeakScanner.forSecrets(secret).startCapturingLogs()) {
            log.info("a line with no secret in it, {}", "only words");
            HttpResponse<String> health = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(PUBLIC_URL + "/actuator/health"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            scanner.recordResponse("GET /actuator/health", health);
            scanner.stopCapturingLogs();

            LeakScanner.Report report = scanner.scanEverything(dataSource);

            report.assertClean();
            assertThat(report.scanned())
                    .contains(
                            "public.domain_event_entry.payload",
                            "public.domain_event_entry.meta_data",
                            "public.data_key.wrapped_key",
                            "HTTP: 1 response(s)")
                    .anySatisfy(place -> assertThat(place).startsWith("pg_catalog.pg_largeobject.data"));
            assertThat(scanner.capturedLogs())
                    .anySatisfy(line -> assertThat(line).contains("a line with no secret in it, only words"));
        }
    }

    @Test
    void findsASecretPlantedInATableWhateverTheColumnTypeAndEncoding() {
        jdbc.execute("create table leak_scanner_probe (id int, note text, blob bytea, doc jsonb, tags text[])");
        try {
            byte[] utf8 = secret.getBytes(StandardCharsets.UTF_8);
            jdbc.update("insert into leak_scanner_probe (id, note) values (1, ?)", "before " + secret + " after");
            jdbc.update("insert into leak_scanner_probe (id, blob) values (2, ?)", (Object)
                    concat(new byte[] {0, (byte) 0xff, 7}, utf8));
            // Base64 of a longer payload, so the secret starts two bytes into the encoded data
            jdbc.update("insert into leak_scanner_probe (id, blob) values (3, ?)", (Object) Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(("{\"" + secret + "\"}").getBytes(StandardCharsets.UTF_8))
                    .getBytes(StandardCharsets.UTF_8));
            jdbc.update(
                    "insert into leak_scanner_probe (id, doc) values (4, ?::jsonb)",
                    "{\"url\": \"https://x.example/?a=" + URLEncoder.encode(secret, StandardCharsets.UTF_8) + "\"}");
            jdbc.update(
                    "insert into leak_scanner_probe (id, tags) values (5, ?::text[])",
                    "{one," + Base64.getEncoder().encodeToString(utf8) + "}");

            LeakScanner.Report report = LeakScanner.forSecrets(secret).scanDatabase(dataSource);

            assertThat(report.leaks())
                    .extracting(
                            leak -> leak.encoding() + " @ " + leak.where().replaceAll(" row ctid .*?( \\(|$)", "$1"))
                    .containsExactlyInAnyOrder(
                            "plain @ table public.leak_scanner_probe column note",
                            "plain @ table public.leak_scanner_probe column blob (bytea as UTF-8)",
                            "hex @ table public.leak_scanner_probe column blob (bytea as hex)",
                            "Base64 (URL-safe) @ table public.leak_scanner_probe column blob (bytea as UTF-8)",
                            "URL-encoded @ table public.leak_scanner_probe column doc",
                            "Base64 @ table public.leak_scanner_probe column tags");
            assertThat(report.leaks())
                    .allSatisfy(leak -> assertThat(leak.secret()).isEqualTo("secret #1"));
        } finally {
            jdbc.execute("drop table leak_scanner_probe");
        }
    }

    @Test
    void findsASecretInALogLineOrAStackTraceWhileCapturing() {
        LeakScanner scanner = LeakScanner.forSecrets(List.of());
        scanner.secret("refresh token", secret);
        try (scanner) {
            scanner.startCapturingLogs();
            log.info(
                    "refreshing with {}",
                    Base64.getEncoder().withoutPadding().encodeToString(secret.getBytes(StandardCharsets.UTF_8)));
            log.warn("exchange failed", new IllegalStateException("wrapped", new RuntimeException("body: " + secret)));
            scanner.stopCapturingLogs();
            log.info("after stopping: {}", secret);

            LeakScanner.Report report = scanner.scanLogs();

            assertThat(report.leaks())
                    .extracting(LeakScanner.Leak::toString)
                    .hasSize(2)
                    .allSatisfy(leak -> assertThat(leak).doesNotContain(secret))
                    .anySatisfy(leak -> assertThat(leak)
                            .startsWith("refresh token (Base64) in log event")
                            .contains("[INFO] [" + LeakScannerTest.class.getName() + "]"))
                    .anySatisfy(leak -> assertThat(leak)
                            .startsWith("refresh token (plain) in log event")
                            .contains("[WARN]"));
        }
    }

    @Test
    void findsASecretInAResponseHeaderOrBody() {
        String clientId = "client-id-1";
        LeakScanner scanner = LeakScanner.forSecrets(List.of())
                .secret("client secret", secret)
                .secret("clean value", "never-written-" + UUID.randomUUID());
        scanner.recordResponse(
                "POST /token",
                Map.of(
                        "Authorization",
                        List.of("Basic "
                                + Base64.getEncoder()
                                        .encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8)))),
                "{}");
        scanner.recordResponse(
                "GET /callback",
                Map.of(
                        "Location",
                        List.of("https://crm.example/?code="
                                + URLEncoder.encode(secret, StandardCharsets.UTF_8)
                                        .replace("+", "%20")
                                        .toLowerCase())),
                null);
        scanner.recordResponse("GET /v1/connections", Map.of(), "{\"accessToken\":\"" + secret + "\"}");
        scanner.recordResponse("GET /v1/applications", Map.of("Content-Type", List.of("application/json")), "{}");

        LeakScanner.Report report = scanner.scanResponses();

        assertThat(report.leaks())
                .extracting(LeakScanner.Leak::toString)
                .containsExactlyInAnyOrder(
                        "client secret (Base64) in POST /token",
                        "client secret (URL-encoded) in GET /callback",
                        "client secret (plain) in GET /v1/connections");
        assertThatThrownBy(report::assertClean)
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("3 secret leak(s):")
                .message()
                .doesNotContain(secret);
    }

    @Test
    void findsBase64InEveryAlphabetPaddingAndOffsetAndNothingInUnrelatedText() {
        LeakScanner scanner = LeakScanner.forSecrets(secret);
        byte[] utf8 = secret.getBytes(StandardCharsets.UTF_8);
        for (Base64.Encoder encoder : List.of(
                Base64.getEncoder(),
                Base64.getEncoder().withoutPadding(),
                Base64.getUrlEncoder(),
                Base64.getUrlEncoder().withoutPadding())) {
            for (String prefix : List.of("", "a", "ab", "abc")) {
                for (String suffix : List.of("", "z", "yz")) {
                    String text = encoder.encodeToString((prefix + secret + suffix).getBytes(StandardCharsets.UTF_8));
                    assertThat(scanner.scanText("text", text).isClean())
                            .as("%s + secret + %s in %s", prefix, suffix, text)
                            .isFalse();
                }
            }
        }
        assertThat(scanner.scanText(
                                "text", Base64.getEncoder().encodeToString(utf8).toLowerCase())
                        .isClean())
                .isTrue();
        assertThat(scanner.scanText("text", secret.substring(1)).isClean()).isTrue();
        assertThat(scanner.scanText("text", "{\"status\":\"UP\",\"id\":\"" + UUID.randomUUID() + "\"}")
                        .isClean())
                .isTrue();
        assertThatThrownBy(() -> scanner.secret("short"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too short");
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] all = new byte[first.length + second.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }
}
