package dev.latchkey.app.application;

import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.latchkey.app.flow.ConnectionTarget;
import dev.latchkey.app.flow.Revocation;
import dev.latchkey.app.provider.ProviderClients;
import dev.latchkey.app.writemodel.Actor;
import dev.latchkey.app.writemodel.CommandSender;
import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.application.ConnectionProviderDefinition;
import dev.latchkey.domain.application.Manifest;
import dev.latchkey.domain.application.UninstallApplication;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.ConnectionRevokedException;
import dev.latchkey.domain.connection.ConnectionStatus;
import dev.latchkey.domain.connection.UserWorkspaceId;
import dev.latchkey.domain.connection.Visibility;
import dev.latchkey.domain.connection.WorkspaceId;
import dev.latchkey.domain.provider.ProviderClient;
import dev.latchkey.query.application.ApplicationRow;
import dev.latchkey.query.application.ApplicationView;
import dev.latchkey.query.connection.ConnectionList;
import dev.latchkey.query.connection.ConnectionQueries;
import dev.latchkey.query.connection.ConnectionRow;
import dev.latchkey.query.connection.ConnectionView;
import dev.latchkey.query.connection.ListConnectionsOfApplication;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

/** Uninstall: the application goes at once, then each connection is revoked with the OAuth client taken before. */
class ApplicationUninstallerTest {

    static final ApplicationId APP = ApplicationId.of("b6f1a2c4-3d5e-4f60-8a7b-9c0d1e2f3a4b");
    static final ConnectionProviderDefinition LINEAR = new ConnectionProviderDefinition(
            "9c7d1f5e-6a0b-4d44-be0c-3f8b5a9d4e6f", "linear", "Linear", null, "oauth", null);

    final ProviderClients clients = mock(ProviderClients.class);
    final ConnectionQueries connections = mock(ConnectionQueries.class);
    final CommandSender commands = mock(CommandSender.class);
    final Revocation revocation = mock(Revocation.class);
    final ProviderClient client = mock(ProviderClient.class);
    final ApplicationUninstaller uninstaller = new ApplicationUninstaller(clients, connections, commands, revocation);

    @AfterEach
    void stop() {
        uninstaller.destroy();
    }

    static ConnectionRow connection(String id, String workspace) {
        Instant now = Instant.parse("2026-12-07T10:00:00Z");
        return new ConnectionRow(
                new ConnectionView(
                        ConnectionId.of(id),
                        WorkspaceId.of(workspace),
                        APP,
                        LINEAR.providerName(),
                        "Linear #1",
                        null,
                        Visibility.WORKSPACE,
                        UserWorkspaceId.of("uw-alice"),
                        List.of(),
                        ConnectionStatus.ACTIVE,
                        null,
                        null,
                        now,
                        now,
                        now.plusSeconds(3600)),
                null,
                null,
                2);
    }

    @Test
    void theApplicationIsUninstalledFirstThenEveryConnectionIsRevokedWithTheClientTakenBefore() {
        ApplicationRow installed = new ApplicationRow(
                new ApplicationView(
                        APP,
                        "Linear",
                        new Manifest(APP.value(), "Linear", null, null, null, List.of(LINEAR)),
                        true,
                        java.util.Map.of(),
                        List.of(),
                        null,
                        null),
                null);
        when(clients.installedApplication(APP)).thenReturn(Optional.of(installed));
        when(clients.forProvider(installed, LINEAR)).thenReturn(client);
        ConnectionRow first = connection("6f1c1c9e-0c52-4f5e-9d0a-6ad0f4f3c2a1", "ws-1");
        ConnectionRow second = connection("7a2d2d0f-1d63-4a6f-8e1b-7be1a5a4d3b2", "ws-2");
        when(connections.handle(new ListConnectionsOfApplication(APP)))
                .thenReturn(new ConnectionList(List.of(first, second)));
        // the owner disconnected the first one meanwhile: the others go on
        when(revocation.revoke(eq(ConnectionTarget.of(first)), isNull(), eq(client), any(Actor.class)))
                .thenThrow(new ConnectionRevokedException(first.connection().id()));

        uninstaller.uninstall(APP, new Actor("admin-1", null));

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> verify(revocation)
                        .revoke(
                                ConnectionTarget.of(second),
                                null,
                                client,
                                Actor.system("uninstall:admin-1", WorkspaceId.of("ws-2"))));
        InOrder order = inOrder(commands, revocation);
        order.verify(commands).send(eq(new UninstallApplication(APP)), any(Actor.class));
        order.verify(revocation).revoke(eq(ConnectionTarget.of(first)), isNull(), eq(client), any(Actor.class));
    }
}
