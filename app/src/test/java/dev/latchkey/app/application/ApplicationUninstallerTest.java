package dev.latchkey.app.application;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.mockito.Mockito.when;

import dev.latchkey.app.provider.ProviderClients;
import dev.latchkey.app.writemodel.Actor;
import dev.latchkey.app.writemodel.CommandSender;
import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.application.ApplicationNotInstalledException;
import dev.latchkey.domain.application.Manifest;
import dev.latchkey.domain.application.UninstallApplication;
import dev.latchkey.query.application.ApplicationRow;
import dev.latchkey.query.application.ApplicationView;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Uninstall only sends the command: revoking the connections is the durable process that follows the event
 * ({@link UninstallProcessTest}), nothing of it runs in the caller's JVM memory.
 */
class ApplicationUninstallerTest {

    static final ApplicationId APP = ApplicationId.of("b6f1a2c4-3d5e-4f60-8a7b-9c0d1e2f3a4b");

    final ProviderClients clients = mock(ProviderClients.class);
    final CommandSender commands = mock(CommandSender.class);
    final ApplicationUninstaller uninstaller = new ApplicationUninstaller(clients, commands);

    @Test
    void uninstallingSendsTheCommandAndNothingElse() {
        ApplicationRow installed = new ApplicationRow(
                new ApplicationView(
                        APP,
                        "Linear",
                        new Manifest(APP.value(), "Linear", null, null, null, List.of()),
                        true,
                        Map.of(),
                        List.of(),
                        null,
                        null),
                null);
        when(clients.installedApplication(APP)).thenReturn(Optional.of(installed));
        Actor admin = new Actor("admin-1", null);

        uninstaller.uninstall(APP, admin);

        verify(commands).send(new UninstallApplication(APP), admin);
        verifyNoMoreInteractions(commands);
    }

    @Test
    void anApplicationNotInstalledIsRefused() {
        when(clients.installedApplication(APP)).thenReturn(Optional.empty());

        assertThatThrownBy(() -> uninstaller.uninstall(APP, new Actor("admin-1", null)))
                .isInstanceOf(ApplicationNotInstalledException.class);
        verify(commands, never()).send(any(), any());
    }
}
