package dev.latchkey.app.faults;

import static dev.latchkey.app.TestMessages.asCommand;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.latchkey.app.FreePort;
import dev.latchkey.app.LatchkeyApplication;
import dev.latchkey.app.LatchkeySpringTest;
import dev.latchkey.app.journey.Api;
import dev.latchkey.app.replay.EventFixtures;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.RenameConnection;
import dev.latchkey.domain.connection.WorkspaceId;
import dev.latchkey.query.connection.ConnectionViewProjection;
import dev.latchkey.testsupport.TestPostgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * PostgreSQL stops in the middle of a stream of commands and starts again. Every command either succeeded and its
 * event is stored, or failed and its caller got an exception and nothing is stored; the event processors resume
 * by themselves and apply every event exactly once. The application runs in a context of its own, on a PostgreSQL
 * of its own (the one extra this test starts, stopped and started on the same port and directory).
 */
class DatabaseOutageTest {

    private static final Logger log = LoggerFactory.getLogger(DatabaseOutageTest.class);
    private static final String DATABASE = "latchkey_faults";

    @TempDir
    Path dataDirectory;

    private final int port = FreePort.find();
    private EmbeddedPostgres postgres;
    private ConfigurableApplicationContext app;

    record Attempt(ConnectionId connection, String name, boolean succeeded, String failure) {}

    @Test
    void commandsDuringAnOutageFailLoudlyAndProcessorsResumeWithNothingLostOrAppliedTwice() throws Exception {
        postgres = startPostgres();
        createDatabaseAndProbeSchema();
        app = startApplication(true);
        CommandGateway commands = app.getBean(CommandGateway.class);
        JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
        EventFixtures fixtures = new EventFixtures(
                commands, app.getBean(EventStore.class), app.getBean(PlatformTransactionManager.class));
        WorkspaceId workspace = WorkspaceId.of("ws-faults");
        List<ConnectionId> connections =
                List.of(fixtures.activeConnection(workspace), fixtures.activeConnection(workspace));

        List<Attempt> attempts = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean streaming = new AtomicBoolean(true);
        ExecutorService sender = Executors.newSingleThreadExecutor();
        Future<?> stream = sender.submit(() -> {
            for (int n = 0; streaming.get(); n++) {
                ConnectionId connection = connections.get(n % connections.size());
                String name = "name-" + n;
                try {
                    commands.sendAndWait(asCommand(
                            new RenameConnection(connection, EventFixtures.OWNER, name),
                            "member-1",
                            workspace.value()));
                    attempts.add(new Attempt(connection, name, true, null));
                } catch (RuntimeException e) {
                    attempts.add(
                            new Attempt(connection, name, false, e.getClass().getSimpleName()));
                }
            }
        });
        try {
            await().atMost(Duration.ofMinutes(1)).until(() -> succeeded(attempts) >= 20);
            postgres.close(); // pg_ctl stop -m fast: sessions are cut off mid-transaction
            log.info("PostgreSQL stopped after {} commands", attempts.size());
            await().atMost(Duration.ofMinutes(1)).until(() -> failed(attempts) >= 3);
            postgres = startPostgres();
            int failedDuringOutage = failed(attempts);
            log.info("PostgreSQL started again after {} failed commands", failedDuringOutage);
            await().atMost(Duration.ofMinutes(2)).until(() -> succeededAfterLastFailure(attempts) >= 20);
        } finally {
            streaming.set(false);
            stream.get();
            sender.shutdown();
        }

        List<Attempt> all = List.copyOf(attempts);
        log.info(
                "{} commands: {} succeeded, {} failed ({})",
                all.size(),
                succeeded(all),
                failed(all),
                all.stream()
                        .filter(a -> !a.succeeded())
                        .map(Attempt::failure)
                        .distinct()
                        .toList());
        assertThat(failed(all)).isGreaterThanOrEqualTo(3);

        // nothing lost: a command that succeeded left exactly one event; one that failed left none, unless the
        // connection was cut while its commit was under way (PostgreSQL wrote it, the answer never came back: in
        // doubt, so at most one, and only for a command around the stop)
        Map<String, Long> stored = jdbc
                .queryForList(
                        "select convert_from(payload, 'UTF8')::jsonb ->> 'name' from domain_event_entry"
                                + " where payload_type = 'dev.latchkey.domain.connection.ConnectionRenamed'",
                        String.class)
                .stream()
                .collect(Collectors.groupingBy(name -> name, Collectors.counting()));
        List<Attempt> inDoubt = new ArrayList<>();
        for (Attempt attempt : all) {
            long events = stored.getOrDefault(attempt.name(), 0L);
            if (attempt.succeeded()) {
                assertThat(events).as("%s, which succeeded", attempt.name()).isEqualTo(1L);
            } else {
                assertThat(events).as("%s, which failed", attempt.name()).isLessThanOrEqualTo(1L);
                if (events == 1) {
                    inDoubt.add(attempt);
                }
            }
        }
        // one command at a time: at most the one whose commit the stop cut off
        assertThat(inDoubt).as("commands in doubt (committed, answered failed)").hasSizeLessThanOrEqualTo(1);
        assertThat(failed(all) - inDoubt.size()).isGreaterThanOrEqualTo(1);

        // the processors resumed by themselves: every event applied once, the view as the events say
        long events = jdbc.queryForObject("select count(*) from domain_event_entry", Long.class);
        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> jdbc.queryForObject("select count(*) from probe.applied", Long.class) >= events);
        assertThat(jdbc.queryForObject("select count(*) from probe.applied", Long.class))
                .as("applied once each")
                .isEqualTo(events);
        assertThat(jdbc.queryForObject(
                        "select count(*) from domain_event_entry e"
                                + " where exists (select 1 from probe.applied a where a.event_identifier = e.event_identifier)",
                        Long.class))
                .as("every stored event applied")
                .isEqualTo(events);
        for (ConnectionId connection : connections) {
            String lastName = all.stream()
                    .filter(a -> a.succeeded() && a.connection().equals(connection))
                    .reduce((first, second) -> second)
                    .orElseThrow()
                    .name();
            long lastSequence = jdbc.queryForObject(
                    "select max(sequence_number) from domain_event_entry where aggregate_identifier = ?",
                    Long.class,
                    connection.value());
            // a row not there yet is "not yet", not an error: queryForList, never queryForMap, inside untilAsserted
            await().atMost(Duration.ofMinutes(1))
                    .untilAsserted(() -> assertThat(jdbc.queryForList(
                                    "select name, last_sequence from connection_view where connection_id = ?",
                                    connection.value()))
                            .as("the view row of %s", connection.value())
                            .singleElement()
                            .satisfies(row -> assertThat(row)
                                    .containsEntry("name", lastName)
                                    .containsEntry("last_sequence", lastSequence)));
        }
        assertThat(app.getBean(org.axonframework.config.EventProcessingConfiguration.class)
                        .eventProcessor(ConnectionViewProjection.PROCESSING_GROUP)
                        .orElseThrow()
                        .isRunning())
                .isTrue();
    }

    /**
     * With the shipped pool settings (no test overrides), a request during an outage is answered 503
     * database-unavailable with Retry-After within 5 s: problem+json on /v1, a page in the browser flow.
     */
    @Test
    void aRequestDuringAnOutageIsAnswered503WithinFiveSeconds() throws Exception {
        postgres = startPostgres();
        createDatabaseAndProbeSchema();
        app = startApplication(false);
        EventFixtures fixtures = new EventFixtures(
                app.getBean(CommandGateway.class),
                app.getBean(EventStore.class),
                app.getBean(PlatformTransactionManager.class));
        WorkspaceId workspace = WorkspaceId.of("ws-outage");
        ConnectionId connection = fixtures.activeConnection(workspace);
        Api api = new Api("http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port"));
        String member = Api.token(
                "sub", "user:uw-owner", "wid", workspace.value(), "uwid", "uw-owner", "scope", "connections:read");
        String path = "/v1/connections/" + connection.value();
        await().atMost(Duration.ofSeconds(30)).until(() -> api.get(member, path).status() == 200);

        postgres.close();
        for (String during : List.of(path, "/v1/connections")) {
            long started = System.nanoTime();
            Api.Answer answer = api.get(member, during);
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(answer.status()).as(during).isEqualTo(503);
            assertThat(took).as(during).isLessThan(Duration.ofSeconds(5));
            assertThat(answer.header("Retry-After")).as(during).isNotBlank();
            assertThat(answer.header("Content-Type")).as(during).startsWith("application/problem+json");
            assertThat(answer.body().path("type").asText()).as(during).endsWith("/database-unavailable");
        }
        long started = System.nanoTime();
        Api.Answer page =
                api.send(null, "GET", "/apps/oauth/authorize?ticket=" + "A".repeat(43), null, "Accept", "text/html");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(page.status()).isEqualTo(503);
        assertThat(page.header("Retry-After")).isNotBlank();
        assertThat(page.header("Content-Type")).startsWith("text/html");

        postgres = startPostgres();
        await().atMost(Duration.ofMinutes(1)).until(() -> api.get(member, path).status() == 200);
    }

    @AfterEach
    void stop() throws IOException {
        if (app != null) {
            app.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    private static int succeeded(List<Attempt> attempts) {
        synchronized (attempts) {
            return (int) attempts.stream().filter(Attempt::succeeded).count();
        }
    }

    private static int failed(List<Attempt> attempts) {
        synchronized (attempts) {
            return (int) attempts.stream().filter(a -> !a.succeeded()).count();
        }
    }

    private static int succeededAfterLastFailure(List<Attempt> attempts) {
        synchronized (attempts) {
            int count = 0;
            for (int i = attempts.size() - 1; i >= 0 && attempts.get(i).succeeded(); i--) {
                count++;
            }
            return count;
        }
    }

    /** Same port and directory every time, so the application's pool finds it again. */
    private EmbeddedPostgres startPostgres() {
        return TestPostgres.startDedicated(port, dataDirectory);
    }

    private void createDatabaseAndProbeSchema() throws SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("create database " + DATABASE);
        }
        try (Connection connection = postgres.getDatabase("postgres", DATABASE).getConnection();
                Statement statement = connection.createStatement()) {
            // outside the schema Flyway owns; no key on purpose: a second application is a second row
            statement.execute("create schema probe");
            statement.execute("create table probe.applied (event_identifier varchar(255) not null)");
        }
    }

    /** {@code fastPool}: the stream of commands fails each within 1.5 s; else the pool runs as shipped. */
    private ConfigurableApplicationContext startApplication(boolean fastPool) {
        List<String> args = new ArrayList<>(List.of(
                "--spring.datasource.url=jdbc:postgresql://localhost:" + port + "/" + DATABASE,
                "--spring.datasource.username=postgres",
                "--latchkey.master-keys=" + LatchkeySpringTest.TEST_MASTER_KEYS,
                "--latchkey.jwt-secret=" + LatchkeySpringTest.TEST_JWT_SECRET,
                "--server.port=0",
                "--axon.eventhandling.processors." + AppliedEvents.PROCESSING_GROUP + ".mode=pooled",
                "--axon.eventhandling.processors." + AppliedEvents.PROCESSING_GROUP + ".initial-segment-count=1"));
        if (fastPool) {
            // fail fast while the database is away, rather than hold each command for the pool's full wait
            args.add("--spring.datasource.hikari.connection-timeout=1500");
            args.add("--spring.datasource.hikari.validation-timeout=1000");
        }
        return new SpringApplicationBuilder(LatchkeyApplication.class)
                .initializers(context -> ((GenericApplicationContext) context)
                        .registerBean(
                                AppliedEvents.class,
                                () -> new AppliedEvents(
                                        ((GenericApplicationContext) context).getBean(JdbcTemplate.class))))
                .run(args.toArray(String[]::new));
    }
}
