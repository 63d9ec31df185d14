package dev.latchkey.app.connection;

import dev.latchkey.app.readmodel.ReadYourWrites;
import dev.latchkey.app.web.NotFoundException;
import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.application.ConnectionProviderDefinition;
import dev.latchkey.domain.application.ProviderName;
import dev.latchkey.domain.application.UninstallApplication;
import dev.latchkey.domain.connection.ConnectionRevokedException;
import dev.latchkey.domain.connection.Revoke;
import dev.latchkey.domain.provider.ProviderClient;
import dev.latchkey.domain.provider.RevocationResult;
import dev.latchkey.query.application.ApplicationRow;
import dev.latchkey.query.connection.ConnectionQueries;
import dev.latchkey.query.connection.ConnectionRow;
import dev.latchkey.query.connection.ListConnectionsOfApplication;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Uninstalling an application: the application is uninstalled at once (no connection can start any more), then
 * each of its connections is revoked at the provider, with the OAuth clients taken before the uninstall, and
 * recorded revoked, in the background.
 */
@Component
public class ApplicationUninstaller implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ApplicationUninstaller.class);

    private final ProviderClients clients;
    private final ConnectionQueries connections;
    private final ConnectionCommands connectionCommands;
    private final CommandSender commands;
    private final ReadYourWrites readYourWrites;
    private final ExecutorService background = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "uninstall");
        thread.setDaemon(true);
        return thread;
    });

    public ApplicationUninstaller(
            ProviderClients clients,
            ConnectionQueries connections,
            ConnectionCommands connectionCommands,
            CommandSender commands,
            ReadYourWrites readYourWrites) {
        this.clients = clients;
        this.connections = connections;
        this.connectionCommands = connectionCommands;
        this.commands = commands;
        this.readYourWrites = readYourWrites;
    }

    public void uninstall(ApplicationId id, Actor actor) {
        ApplicationRow application = clients.application(id).orElseThrow(NotFoundException::new);
        Map<ProviderName, ProviderClient> providerClients = new HashMap<>();
        for (ConnectionProviderDefinition provider :
                application.application().manifest().connectionProviders()) {
            try {
                providerClients.put(provider.providerName(), clients.forProvider(application, provider));
            } catch (ProviderNotReadyException e) {
                // never ready: its connections hold no tokens to revoke
            }
        }
        List<ConnectionRow> rows =
                connections.handle(new ListConnectionsOfApplication(id)).items();
        commands.send(new UninstallApplication(id), actor);
        background.submit(() -> rows.forEach(row -> revoke(row, providerClients, actor)));
    }

    private void revoke(ConnectionRow row, Map<ProviderName, ProviderClient> providerClients, Actor admin) {
        try {
            RevocationResult result = connectionCommands.revokeAtProvider(
                    row, providerClients.get(row.connection().providerName()));
            commands.send(
                    new Revoke(row.connection().id(), null, result.refreshToken(), result.accessToken()),
                    Actor.system(
                            "uninstall:" + admin.subject(), row.connection().workspaceId()));
            readYourWrites.awaitConnection(row.connection().id());
        } catch (ConnectionRevokedException e) {
            // revoked meanwhile by its owner
        } catch (RuntimeException e) {
            log.warn(
                    "could not revoke connection {} of an uninstalled application: {}",
                    row.connection().id(),
                    e.getClass().getSimpleName());
        }
    }

    @Override
    public void destroy() {
        background.shutdownNow();
    }
}
