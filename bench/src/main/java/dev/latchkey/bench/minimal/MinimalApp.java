package dev.latchkey.bench.minimal;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.DispatcherServletAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.ServletWebServerFactoryAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Benchmark 6's baseline: the smallest Spring Boot web + JDBC application (what the web and JDBC starters alone would
 * auto-configure: Tomcat, MVC, Jackson, a Hikari pool, a JdbcTemplate) on the same embedded PostgreSQL binaries as
 * Latchkey, with the same durability settings and its cluster kept in a directory across restarts. Started with the
 * Latchkey jar's libraries; ready when {@code /health} (a {@code SELECT 1}) answers 200.
 *
 * <p>Arguments: {@code <data directory> <port>}.
 */
@SpringBootConfiguration
@ImportAutoConfiguration({
    ServletWebServerFactoryAutoConfiguration.class,
    DispatcherServletAutoConfiguration.class,
    WebMvcAutoConfiguration.class,
    HttpMessageConvertersAutoConfiguration.class,
    JacksonAutoConfiguration.class,
    DataSourceAutoConfiguration.class,
    DataSourceTransactionManagerAutoConfiguration.class,
    JdbcTemplateAutoConfiguration.class
})
@Import(MinimalApp.Health.class)
public class MinimalApp {

    public static void main(String[] args) throws Exception {
        exitWithParent();
        Path directory = Path.of(args[0]).toAbsolutePath();
        Files.createDirectories(directory);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(directory)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(true)
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setPGStartupWait(Duration.ofSeconds(60))
                .start();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement();
                ResultSet found = statement.executeQuery("select 1 from pg_database where datname = 'minimal'")) {
            if (!found.next()) {
                statement.execute("create database minimal");
            }
        }
        SpringApplication application = new SpringApplication(MinimalApp.class);
        application.setDefaultProperties(Map.of(
                "spring.datasource.url", "jdbc:postgresql://localhost:" + postgres.getPort() + "/minimal",
                "spring.datasource.username", "postgres",
                "server.port", args[1],
                "server.address", "127.0.0.1"));
        application.run();
    }

    @RestController
    static class Health {
        private final JdbcTemplate jdbc;

        Health(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @GetMapping("/health")
        Map<String, Object> health() {
            return Map.of("status", "UP", "database", jdbc.queryForObject("SELECT 1", Integer.class));
        }
    }

    /** Like the bench server: gone when the driver is gone, and bounded whatever happens. */
    private static void exitWithParent() {
        ProcessHandle.current().parent().ifPresent(parent -> {
            Thread watcher = new Thread(
                    () -> {
                        parent.onExit().join();
                        System.exit(3);
                    },
                    "minimal-parent-watch");
            watcher.setDaemon(true);
            watcher.start();
        });
        Thread limit = new Thread(
                () -> {
                    try {
                        TimeUnit.MINUTES.sleep(10);
                        System.exit(4);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "minimal-time-limit");
        limit.setDaemon(true);
        limit.start();
    }
}
