package dev.latchkey.app;

import dev.latchkey.app.eventstore.EventProbe;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The base of the Spring tests: one application context, cached and shared by every subclass (so they must not add
 * configuration of their own), on the JVM's {@link TestPostgres} database with a fixed test master key.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability(tracing = false) // tests turn metrics export off by default; /actuator/prometheus is tested
@Import(EventProbe.class)
public abstract class LatchkeySpringTest {

    /** {@code test:} followed by 32 bytes 0x00..0x1f in Base64. */
    public static final String TEST_MASTER_KEYS = "test:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    @DynamicPropertySource
    static void testDatabase(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", TestPostgres::jdbcUrl);
        registry.add("spring.datasource.username", TestPostgres::username);
        registry.add("latchkey.master-keys", () -> TEST_MASTER_KEYS);
    }
}
