package dev.latchkey.app.application;

import dev.latchkey.app.readmodel.ReadYourWrites;
import dev.latchkey.app.writemodel.Actor;
import dev.latchkey.app.writemodel.CommandSender;
import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.application.InstallApplication;
import dev.latchkey.domain.application.Manifest;
import dev.latchkey.domain.application.SetServerVariable;
import dev.latchkey.domain.application.UnsetServerVariable;
import dev.latchkey.domain.secret.SealingContext;
import dev.latchkey.domain.secret.Secret;
import dev.latchkey.domain.secret.SecretSealer;
import org.springframework.stereotype.Service;

/** What server admins do to installed applications. */
@Service
public class ApplicationCommands {

    private final CommandSender commands;
    private final SecretSealer sealer;
    private final ReadYourWrites readYourWrites;
    private final ApplicationUninstaller uninstaller;

    public ApplicationCommands(
            CommandSender commands,
            SecretSealer sealer,
            ReadYourWrites readYourWrites,
            ApplicationUninstaller uninstaller) {
        this.commands = commands;
        this.sealer = sealer;
        this.readYourWrites = readYourWrites;
        this.uninstaller = uninstaller;
    }

    public void install(ApplicationId id, Manifest manifest, String admin) {
        commands.send(new InstallApplication(id, manifest), new Actor(admin, null));
        readYourWrites.awaitApplication(id);
    }

    public void setVariable(ApplicationId id, String name, String value, String admin) {
        commands.send(
                new SetServerVariable(
                        id, name, sealer.seal(Secret.of(value), SealingContext.forServerVariable(id, name))),
                new Actor(admin, null));
        readYourWrites.awaitApplication(id);
    }

    public void unsetVariable(ApplicationId id, String name, String admin) {
        commands.send(new UnsetServerVariable(id, name), new Actor(admin, null));
        readYourWrites.awaitApplication(id);
    }

    /**
     * Uninstalls at once and waits for the application view: when this returns, no token of the application is
     * handed out any more. Its connections are revoked and removed by the uninstall process, on any node.
     */
    public void uninstall(ApplicationId id, String admin) {
        uninstaller.uninstall(id, new Actor(admin, null));
        readYourWrites.awaitApplication(id);
    }
}
