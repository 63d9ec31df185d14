package dev.latchkey.app.application;

import dev.latchkey.app.flow.ConnectionTarget;
import dev.latchkey.app.flow.Revocation;
import dev.latchkey.app.provider.ProviderClients;
import dev.latchkey.app.provider.ProviderNotReadyException;
import dev.latchkey.app.writemodel.Actor;
import dev.latchkey.app.writemodel.CommandSender;
import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.application.ApplicationNotInstalledException;
import dev.latchkey.domain.application.ConnectionProviderDefinition;
import dev.latchkey.domain.application.ProviderName;
import dev.latchkey.domain.application.UninstallApplication;
import dev.latchkey.domain.connection.ConnectionRevokedException;
import dev.latchkey.domain.provider.ProviderClient;
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
 * each of its connections is revoked ({@link Revocation}) with the OAuth clients taken before the uninstall, in the
 * background.
 */
@Component
public class ApplicationUninstaller implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ApplicationUninstaller.class);

    private final ProviderClients clients;
    private final ConnectionQueries connections;
    private final CommandSender commands;
    private final Revocation revocation;
    private final ExecutorService background = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "uninstall");
        thread.setDaemon(true);
        return thread;
    });

    public ApplicationUninstaller(
            ProviderClients clients, ConnectionQueries connections, CommandSender commands, Revocation revocation) {
        this.clients = clients;
        this.connections = connections;
        this.commands = commands;
        this.revocation = revocation;
    }

    public void uninstall(ApplicationId id, Actor actor) {
        ApplicationRow application =
                clients.installedApplication(id).orElseThrow(() -> new ApplicationNotInstalledException(id));
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
            revocation.revoke(
                    ConnectionTarget.of(row),
                    null,
                    providerClients.get(row.connection().providerName()),
                    Actor.system(
                            "uninstall:" + admin.subject(), row.connection().workspaceId()));
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
