package dev.latchkey.app.persistence;

import static dev.latchkey.app.TestMessages.asCommand;
import static dev.latchkey.app.TestMessages.linearManifest;
import static dev.latchkey.app.TestMessages.newApplicationId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.app.LatchkeyApplication;
import dev.latchkey.app.crypto.MasterKeyring;
import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.application.InstallApplication;
import dev.latchkey.domain.application.ProviderName;
import dev.latchkey.domain.connection.CallbackDecision;
import dev.latchkey.domain.connection.CompleteCallback;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.PendingAuthorization;
import dev.latchkey.domain.connection.StartAuthorization;
import dev.latchkey.domain.connection.UserWorkspaceId;
import dev.latchkey.domain.connection.Visibility;
import dev.latchkey.domain.connection.WorkspaceId;
import dev.latchkey.domain.secret.Sealed;
import dev.latchkey.domain.secret.SealingContext;
import dev.latchkey.domain.secret.Secret;
import dev.latchkey.domain.secret.SecretField;
import dev.latchkey.domain.secret.SecretSealer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The embedded default as a person runs it: no {@code spring.datasource.url}, only a data directory. The application
 * is started, used, closed and started again on the same directory.
 */
@ExtendWith(OutputCaptureExtension.class)
class EmbeddedDefaultRestartTest {

    @Test
    void anAggregateAndItsSealedSecretsSurviveARestartOnTheSameDataDir(@TempDir Path dataDir, CapturedOutput output)
            throws Exception {
        ApplicationId applicationId = newApplicationId();
        WorkspaceId workspace = WorkspaceId.of("ws-restart");
        ConnectionId connectionId = ConnectionId.random();
        SealingContext verifierContext =
                SealingContext.forConnection(workspace, connectionId, SecretField.CODE_VERIFIER);
        Sealed verifier;
        String masterKeyId;

        try (ConfigurableApplicationContext first = start(dataDir)) {
            JdbcTemplate jdbc = first.getBean(JdbcTemplate.class);
            assertThat(first.getBean(EmbeddedPostgresServer.class).dataDirectory())
                    .isEqualTo(dataDir.resolve("postgres").toAbsolutePath());
            assertThat(jdbc.queryForObject("show fsync", String.class)).isEqualTo("on");
            assertThat(jdbc.queryForObject("show synchronous_commit", String.class))
                    .isEqualTo("on");
            assertThat(jdbc.queryForObject("show full_page_writes", String.class))
                    .isEqualTo("on");

            CommandGateway commands = first.getBean(CommandGateway.class);
            verifier = first.getBean(SecretSealer.class).seal(Secret.of("pkce-verifier"), verifierContext);
            masterKeyId = first.getBean(MasterKeyring.class).currentId();
            commands.sendAndWait(
                    asCommand(new InstallApplication(applicationId, linearManifest(applicationId)), "admin-1", null));
            commands.sendAndWait(asCommand(
                    new StartAuthorization(
                            connectionId,
                            workspace,
                            applicationId,
                            ProviderName.of("linear"),
                            UserWorkspaceId.of("uw-1"),
                            Visibility.WORKSPACE,
                            "Linear",
                            new PendingAuthorization(
                                    "state", "binding", verifier, Instant.now().plus(Duration.ofMinutes(10)), null)),
                    "user-1",
                    workspace.value()));
        }

        Path postgresDir = dataDir.resolve("postgres");
        assertThat(postgresDir.resolve("postmaster.pid")).doesNotExist();
        assertThat(output.getOut()).containsOnlyOnce("Database: embedded PostgreSQL in " + postgresDir);
        assertThat(output.getOut().indexOf("latchkey - Shutdown completed"))
                .as("the pool is closed before PostgreSQL stops")
                .isPositive()
                .isLessThan(output.getOut().indexOf("Stopped the embedded PostgreSQL"));
        Path keyFile = dataDir.resolve("master-keys");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
                .isEqualTo("rw-------");
        assertThat(output.getOut()).containsOnlyOnce("Generated master key " + masterKeyId);

        try (ConfigurableApplicationContext second = start(dataDir)) {
            CallbackDecision decision = second.getBean(CommandGateway.class)
                    .sendAndWait(asCommand(new CompleteCallback(connectionId, "state", "binding"), "user-1", null));

            assertThat(decision.codeVerifier()).isEqualTo(verifier);
            assertThat(second.getBean(SecretSealer.class)
                            .unseal(decision.codeVerifier(), verifierContext)
                            .reveal())
                    .isEqualTo("pkce-verifier");
            assertThat(second.getBean(JdbcTemplate.class)
                            .queryForObject(
                                    "select count(*) from domain_event_entry where aggregate_identifier in (?, ?)",
                                    Long.class,
                                    applicationId.value(),
                                    connectionId.value()))
                    .isEqualTo(3L);
        }
        assertThat(output.getOut()).containsOnlyOnce("Generated master key");
    }

    private static ConfigurableApplicationContext start(Path dataDir) {
        // command-line arguments outrank the environment: an exported SPRING_DATASOURCE_URL cannot switch this off
        return new SpringApplicationBuilder(LatchkeyApplication.class)
                .run(
                        "--spring.datasource.url=",
                        "--latchkey.master-keys=",
                        "--latchkey.data-dir=" + dataDir,
                        "--server.port=0");
    }
}
