package dev.latchkey.app.crypto;

import static dev.latchkey.app.TestMessages.asCommand;
import static dev.latchkey.app.TestMessages.linearManifest;
import static dev.latchkey.app.TestMessages.newApplicationId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.app.LatchkeySpringTest;
import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.application.InstallApplication;
import dev.latchkey.domain.application.ProviderName;
import dev.latchkey.domain.connection.AuthorizationStarted;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.ConnectionRevoked;
import dev.latchkey.domain.connection.ConnectionRevokedException;
import dev.latchkey.domain.connection.PendingAuthorization;
import dev.latchkey.domain.connection.RecordRevocation;
import dev.latchkey.domain.connection.RevocationDecision;
import dev.latchkey.domain.connection.RevocationOutcome;
import dev.latchkey.domain.connection.RevocationStarted;
import dev.latchkey.domain.connection.Revoke;
import dev.latchkey.domain.connection.StartAuthorization;
import dev.latchkey.domain.connection.UserWorkspaceId;
import dev.latchkey.domain.connection.Visibility;
import dev.latchkey.domain.connection.WorkspaceId;
import dev.latchkey.domain.secret.Sealed;
import dev.latchkey.domain.secret.SealingContext;
import dev.latchkey.domain.secret.Secret;
import dev.latchkey.domain.secret.SecretField;
import dev.latchkey.domain.secret.SecretSealer;
import dev.latchkey.domain.secret.UnsealFailedException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.SubscribingEventProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Revoking a connection through the command bus destroys its data key in the same transaction. */
class ConnectionKeyShreddingTest extends LatchkeySpringTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    CommandGateway commands;

    @Autowired
    SecretSealer sealer;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    EventProcessingConfiguration eventProcessing;

    final WorkspaceId workspace = WorkspaceId.of("ws-shredding");

    @Test
    void onceRevokedNoneOfAConnectionsSecretsOpensAnyMoreWhileItsHistoryStaysReadable() throws Exception {
        ApplicationId application = newApplicationId();
        commands.sendAndWait(
                asCommand(new InstallApplication(application, linearManifest(application)), "admin-1", null));
        ConnectionId revoked = ConnectionId.random();
        ConnectionId kept = ConnectionId.random();
        Map<SecretField, Sealed> revokedSecrets = start(application, revoked);
        Map<SecretField, Sealed> keptSecrets = start(application, kept);

        RevocationDecision decision = commands.sendAndWait(
                asCommand(new Revoke(revoked, UserWorkspaceId.of("uw-1")), "user-1", workspace.value()));
        commands.sendAndWait(asCommand(
                new RecordRevocation(
                        revoked, decision.decidedAt(), RevocationOutcome.REVOKED, RevocationOutcome.UNSUPPORTED),
                "user-1",
                workspace.value()));

        // no waiting: the key is gone when the command returns
        revokedSecrets.forEach((field, value) -> assertThatThrownBy(
                        () -> sealer.unseal(value, SealingContext.forConnection(workspace, revoked, field)))
                .isInstanceOf(UnsealFailedException.class)
                .hasMessage("data key " + value.keyId() + " of connection:" + revoked.value() + " was shredded"));
        assertThatThrownBy(() -> sealer.seal(
                        Secret.of("late token"),
                        SealingContext.forConnection(workspace, revoked, SecretField.ACCESS_TOKEN)))
                .isInstanceOf(ConnectionRevokedException.class);
        keptSecrets.forEach((field, value) -> assertThat(
                        sealer.unseal(value, SealingContext.forConnection(workspace, kept, field))
                                .reveal())
                .isEqualTo(field + " of " + kept.value()));
        assertThat(jdbc.queryForMap(
                        "select master_key_id, wrapped_key from data_key where key_owner = ?",
                        "connection:" + revoked.value()))
                .containsEntry("master_key_id", null)
                .containsEntry("wrapped_key", null);

        List<Map<String, Object>> history = jdbc.queryForList("""
                select payload_type, convert_from(payload, 'UTF8') as payload, convert_from(meta_data, 'UTF8') as meta_data
                from domain_event_entry where aggregate_identifier = ? order by sequence_number""", revoked.value());
        assertThat(history)
                .extracting(row -> row.get("payload_type"))
                .containsExactly(
                        AuthorizationStarted.class.getName(),
                        RevocationStarted.class.getName(),
                        ConnectionRevoked.class.getName());
        JsonNode started = JSON.readTree((String) history.get(0).get("payload"));
        assertThat(started.at("/visibility").asText()).isEqualTo("workspace");
        assertThat(started.at("/authorization/codeVerifier/keyId").asText())
                .isEqualTo(revokedSecrets.get(SecretField.CODE_VERIFIER).keyId());
        assertThat(JSON.readTree((String) history.get(2).get("meta_data")).toString())
                .contains("user-1");
    }

    @Test
    void shreddingRunsInASubscribingProcessorForTheKeyOwnersOfSealingContext() {
        assertThat(eventProcessing.eventProcessor(ConnectionKeyShredder.PROCESSING_GROUP))
                .get()
                .isInstanceOf(SubscribingEventProcessor.class);
        ConnectionId connection = ConnectionId.random();
        assertThat(ConnectionKeyShredder.keyOwner(connection))
                .isEqualTo(SealingContext.forConnection(workspace, connection, SecretField.ACCESS_TOKEN)
                        .keyOwner());
    }

    /** Starts an authorization with a sealed verifier, and seals the other secrets a connection holds. */
    private Map<SecretField, Sealed> start(ApplicationId application, ConnectionId connection) {
        Map<SecretField, Sealed> sealed = new EnumMap<>(SecretField.class);
        for (SecretField field : List.of(
                SecretField.CODE_VERIFIER,
                SecretField.ACCESS_TOKEN,
                SecretField.REFRESH_TOKEN,
                SecretField.TOKEN_RESPONSE,
                SecretField.AUTHORIZATION_URL)) {
            sealed.put(
                    field,
                    sealer.seal(
                            Secret.of(field + " of " + connection.value()),
                            SealingContext.forConnection(workspace, connection, field)));
        }
        commands.sendAndWait(asCommand(
                new StartAuthorization(
                        connection,
                        workspace,
                        application,
                        ProviderName.of("linear"),
                        UserWorkspaceId.of("uw-1"),
                        Visibility.WORKSPACE,
                        "Linear",
                        new PendingAuthorization(
                                "state-" + connection.value(),
                                "binding",
                                sealed.get(SecretField.CODE_VERIFIER),
                                Instant.now().plus(Duration.ofMinutes(10)),
                                null)),
                "user-1",
                workspace.value()));
        return sealed;
    }
}
