package dev.latchkey.app.application;

import dev.latchkey.app.provider.ProviderClients;
import dev.latchkey.app.writemodel.Actor;
import dev.latchkey.app.writemodel.CommandSender;
import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.application.ApplicationNotInstalledException;
import dev.latchkey.domain.application.UninstallApplication;
import org.springframework.stereotype.Component;

/**
 * Uninstalling an application: the application is uninstalled at once (no connection can start any more, and from
 * the moment the application view has it no token of it is handed out). Revoking its connections is a durable
 * process driven by the event: {@link UninstallProcess} lists them into {@code pending_revocation},
 * {@link UninstallRevocations} revokes them from any node, with retries.
 */
@Component
public class ApplicationUninstaller {

    private final ProviderClients clients;
    private final CommandSender commands;

    public ApplicationUninstaller(ProviderClients clients, CommandSender commands) {
        this.clients = clients;
        this.commands = commands;
    }

    public void uninstall(ApplicationId id, Actor actor) {
        clients.installedApplication(id).orElseThrow(() -> new ApplicationNotInstalledException(id));
        commands.send(new UninstallApplication(id), actor);
    }
}
