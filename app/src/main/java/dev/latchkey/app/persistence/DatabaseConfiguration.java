package dev.latchkey.app.persistence;

import com.zaxxer.hikari.HikariDataSource;
import dev.latchkey.app.config.LatchkeyProperties;
import jakarta.annotation.PostConstruct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Which PostgreSQL Latchkey uses: the one {@code spring.datasource.url} names, or else an embedded one whose cluster
 * lives in {@code <latchkey.data-dir>/postgres}.
 */
@Configuration(proxyBeanMethods = false)
public class DatabaseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DatabaseConfiguration.class);

    /** True when no {@code spring.datasource.url} is given, so Latchkey runs its own embedded PostgreSQL. */
    public static boolean usesEmbeddedDatabase(Environment environment) {
        return !DataSourceUrlCondition.isSet(environment);
    }

    @Configuration(proxyBeanMethods = false)
    @Conditional(DataSourceUrlCondition.Absent.class)
    static class Embedded {

        @Bean(destroyMethod = "close")
        EmbeddedPostgresServer embeddedPostgresServer(LatchkeyProperties properties) {
            EmbeddedPostgresServer server = EmbeddedPostgresServer.start(properties.postgresDir());
            log.info(
                    "Database: embedded PostgreSQL in {} on port {} (set SPRING_DATASOURCE_URL to use another)",
                    server.dataDirectory(),
                    server.port());
            return server;
        }

        /**
         * Spring's own pool on the embedded server. Taking the server as a parameter makes the pool depend on it, so
         * on shutdown Spring closes the pool (and everything using it) before it stops PostgreSQL.
         */
        @Bean
        @ConfigurationProperties("spring.datasource.hikari")
        HikariDataSource dataSource(EmbeddedPostgresServer server) {
            return DataSourceBuilder.create()
                    .type(HikariDataSource.class)
                    .url(server.jdbcUrl())
                    .username(server.username())
                    .build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @Conditional(DataSourceUrlCondition.Present.class)
    static class External {

        private final DataSourceProperties dataSource;

        External(DataSourceProperties dataSource) {
            this.dataSource = dataSource;
        }

        @PostConstruct
        void announce() {
            log.info("Database: PostgreSQL at {} (spring.datasource.url)", withoutCredentials(dataSource.getUrl()));
        }
    }

    /** A JDBC URL fit for a log line: no user info, no query parameters (either may hold a password). */
    static String withoutCredentials(String url) {
        String result = url;
        int query = result.indexOf('?');
        if (query >= 0) {
            result = result.substring(0, query);
        }
        int scheme = result.indexOf("//");
        int at = result.indexOf('@', scheme + 2);
        if (scheme >= 0 && at > scheme) {
            result = result.substring(0, scheme + 2) + result.substring(at + 1);
        }
        return result;
    }
}
