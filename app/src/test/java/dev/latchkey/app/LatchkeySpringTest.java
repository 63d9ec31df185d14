package dev.latchkey.app;

import dev.latchkey.app.eventstore.EventProbe;
import dev.latchkey.testsupport.TestPostgres;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The base of the Spring tests: one application context, cached and shared by every subclass (so they must not add
 * configuration of their own), on the {@link #DATABASE} database of the JVM's {@link TestPostgres}, with a fixed test master key.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@AutoConfigureObservability(tracing = false) // tests turn metrics export off by default; /actuator/prometheus is tested
@Import({EventProbe.class, MovableClock.InPlace.class})
public abstract class LatchkeySpringTest {

    /** The application's database on the JVM's {@link TestPostgres}, shared by every Spring test. */
    public static final String DATABASE = "latchkey_test";

    /** A master key still configured but no longer current, as during a rotation: 32 bytes 0x20..0x3f. */
    public static final String RETIRED_MASTER_KEY = "retired:ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";

    /** {@code test:} followed by 32 bytes 0x00..0x1f in Base64 (the current key), then {@link #RETIRED_MASTER_KEY}. */
    public static final String TEST_MASTER_KEYS =
            "test:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=," + RETIRED_MASTER_KEY;

    /** The HS256 secret test callers sign their tokens with. */
    public static final String TEST_JWT_SECRET = "test-jwt-secret-of-at-least-32-bytes!";

    /**
     * Chosen before the context starts, because the public URL (and so the OAuth callback registered at the test
     * authorization server) must name it.
     */
    public static final int PORT = FreePort.find();

    public static final String PUBLIC_URL = "http://127.0.0.1:" + PORT;

    @DynamicPropertySource
    static void testDatabase(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestPostgres.jdbcUrl(DATABASE));
        registry.add("spring.datasource.username", TestPostgres::username);
        registry.add("latchkey.master-keys", () -> TEST_MASTER_KEYS);
        registry.add("latchkey.jwt-secret", () -> TEST_JWT_SECRET);
        registry.add("latchkey.allow-insecure-loopback", () -> "true");
        registry.add("latchkey.scheduled-refresh-interval", () -> "0s"); // tests refresh on purpose
        registry.add("latchkey.uninstall.interval", () -> "0s"); // tests run the uninstall workers as nodes would
        // a receiver that hangs is given up on in 2 s, not 15; a claim outlives it by the least the rule allows
        registry.add("latchkey.webhooks.timeout", () -> "2s");
        registry.add("latchkey.webhooks.lease", () -> "14s");
        registry.add("latchkey.webhooks.interval", () -> "250ms");
        registry.add("latchkey.public-url", () -> PUBLIC_URL);
        registry.add("server.address", () -> "127.0.0.1");
        registry.add("server.port", () -> PORT);
    }
}
