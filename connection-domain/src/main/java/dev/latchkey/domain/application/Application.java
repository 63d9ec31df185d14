package dev.latchkey.domain.application;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import dev.latchkey.domain.secret.Sealed;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;

/** An installed application: its manifest and the server variable values an admin filled in. */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY)
public class Application {

    @AggregateIdentifier
    private ApplicationId applicationId;

    private Manifest manifest;
    private boolean installed;
    private final Map<String, Sealed> values = new HashMap<>();

    protected Application() {
        // for Axon
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(InstallApplication command, ManifestValidator validator) {
        List<FieldError> errors = validator.validate(command.applicationId(), command.manifest());
        if (!errors.isEmpty()) {
            throw new ManifestRejectedException(errors);
        }
        if (!installed) {
            apply(new ApplicationInstalled(command.applicationId(), command.manifest()));
        } else if (!command.manifest().equals(manifest)) {
            List<String> dropped = values.keySet().stream()
                    .filter(name -> !command.manifest().serverVariables().containsKey(name))
                    .sorted()
                    .toList();
            apply(new ManifestUpdated(applicationId, command.manifest(), dropped));
        }
    }

    @CommandHandler
    public void handle(SetServerVariable command) {
        requireInstalled();
        requireDeclared(command.name());
        apply(new ServerVariableSet(applicationId, command.name(), command.value()));
    }

    @CommandHandler
    public void handle(UnsetServerVariable command) {
        requireInstalled();
        requireDeclared(command.name());
        if (values.containsKey(command.name())) {
            apply(new ServerVariableUnset(applicationId, command.name()));
        }
    }

    @CommandHandler
    public void handle(UninstallApplication command) {
        requireInstalled();
        apply(new ApplicationUninstalled(applicationId));
    }

    private void requireInstalled() {
        if (!installed) {
            throw new ApplicationNotInstalledException(applicationId);
        }
    }

    private void requireDeclared(String name) {
        if (!manifest.serverVariables().containsKey(name)) {
            throw new UnknownServerVariableException(name);
        }
    }

    @EventSourcingHandler
    void on(ApplicationInstalled event) {
        applicationId = event.applicationId();
        manifest = event.manifest();
        installed = true;
        values.clear();
    }

    @EventSourcingHandler
    void on(ManifestUpdated event) {
        manifest = event.manifest();
        event.droppedVariables().forEach(values::remove);
    }

    @EventSourcingHandler
    void on(ServerVariableSet event) {
        values.put(event.name(), event.value());
    }

    @EventSourcingHandler
    void on(ServerVariableUnset event) {
        values.remove(event.name());
    }

    @EventSourcingHandler
    void on(ApplicationUninstalled event) {
        installed = false;
        values.clear();
    }
}
