package dev.latchkey.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The settings bind from the environment variables API.md names, with the defaults it gives. */
class LatchkeyPropertiesTest {

    @Test
    void defaultsAreThoseOfApiMd() {
        LatchkeyProperties properties = bind(Map.of());

        assertThat(properties.publicUrl()).isEqualTo(URI.create("http://localhost:8080"));
        assertThat(properties.jwtSecret()).isNull();
        assertThat(properties.allowInsecureLoopback()).isFalse();
        assertThat(properties.refreshAhead()).isEqualTo(Duration.ofSeconds(60));
        assertThat(properties.dataDir()).isEqualTo(Path.of("data")); // ./data, normalized
        assertThat(properties.postgresDir()).isEqualTo(Path.of("data/postgres"));
        assertThat(properties.masterKeys()).isNull();
    }

    @Test
    void theLeaseOutlivesEveryWaitOfARefreshOrTheApplicationDoesNotStart() {
        LatchkeyProperties defaults = bind(Map.of());
        assertThat(defaults.refreshLease()).isEqualTo(Duration.ofSeconds(75));
        assertThat(defaults.refreshRecordRetry()).isEqualTo(Duration.ofSeconds(10));
        // 3 s connect + 2 x 10 s read + 10 s recording + Hikari's default 30 s pool wait + 5 s margin = 68 s < 75 s
        defaults.requireLeaseOutlives(Duration.ofSeconds(30));
        assertThatThrownBy(() -> defaults.requireLeaseOutlives(Duration.ofSeconds(40)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("latchkey.refresh-lease");
        // the old default lease did not even cover the exchange and the recording retries
        assertThatThrownBy(() -> bind(Map.of("LATCHKEY_REFRESH_LEASE", "30s")))
                .hasRootCauseInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRelativeDataDirIsAFileSystemPathEvenWhenTheClasspathHasThatName() {
        // META-INF exists on every classpath; Spring's PathEditor would resolve it there
        assertThat(bind(Map.of("LATCHKEY_DATA_DIR", "META-INF")).dataDir()).isEqualTo(Path.of("META-INF"));
    }

    @Test
    void environmentVariablesBindAndSecretsDoNotPrint() {
        LatchkeyProperties properties = bind(Map.of(
                "LATCHKEY_PUBLIC_URL", "https://latchkey.example.com",
                "LATCHKEY_JWT_SECRET", "a-jwt-secret-of-at-least-32-bytes!!",
                "LATCHKEY_ALLOW_INSECURE_LOOPBACK", "true",
                "LATCHKEY_REFRESH_AHEAD", "2m",
                "LATCHKEY_DATA_DIR", "/var/lib/latchkey",
                "LATCHKEY_MASTER_KEYS", "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="));

        assertThat(properties.publicUrl()).isEqualTo(URI.create("https://latchkey.example.com"));
        assertThat(properties.jwtSecret().reveal()).isEqualTo("a-jwt-secret-of-at-least-32-bytes!!");
        assertThat(properties.allowInsecureLoopback()).isTrue();
        assertThat(properties.refreshAhead()).isEqualTo(Duration.ofMinutes(2));
        assertThat(properties.dataDir()).isEqualTo(Path.of("/var/lib/latchkey"));
        assertThat(properties.masterKeys().reveal()).startsWith("k1:");
        assertThat(properties.toString()).doesNotContain("a-jwt-secret").doesNotContain("AAECAw");
    }

    private static LatchkeyProperties bind(Map<String, Object> environment) {
        StandardEnvironment spring = new StandardEnvironment();
        spring.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        spring.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        spring.getPropertySources().addFirst(new SystemEnvironmentPropertySource("test-env", environment));
        ConfigurationPropertySources.attach(spring);
        return Binder.get(spring).bindOrCreate("latchkey", LatchkeyProperties.class);
    }
}
