package dev.latchkey.app.connection;

import dev.latchkey.app.authorization.AuthorizationAttempts;
import dev.latchkey.app.authorization.AuthorizationTickets;
import dev.latchkey.app.config.LatchkeyProperties;
import dev.latchkey.app.flow.ConnectionTarget;
import dev.latchkey.app.flow.Revocation;
import dev.latchkey.app.provider.ProviderClients;
import dev.latchkey.app.readmodel.ReadYourWrites;
import dev.latchkey.app.writemodel.Actor;
import dev.latchkey.app.writemodel.CommandSender;
import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.application.ConnectionProviderDefinition;
import dev.latchkey.domain.application.ProviderName;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.InvalidConnectionValueException;
import dev.latchkey.domain.connection.ReportAuthFailure;
import dev.latchkey.domain.connection.StartAuthorization;
import dev.latchkey.domain.connection.StartReconnect;
import dev.latchkey.domain.connection.UpdateConnection;
import dev.latchkey.domain.connection.UserWorkspaceId;
import dev.latchkey.domain.connection.Visibility;
import dev.latchkey.domain.connection.WorkspaceId;
import dev.latchkey.domain.provider.ProviderClient;
import dev.latchkey.domain.provider.RevocationResult;
import dev.latchkey.query.application.ApplicationRow;
import dev.latchkey.query.connection.ConnectionQueries;
import dev.latchkey.query.connection.ConnectionRow;
import dev.latchkey.query.connection.CountConnections;
import dev.latchkey.query.connection.Viewer;
import java.net.URI;
import java.time.Instant;
import org.springframework.stereotype.Service;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * What members do to connections through the gateway: start, reconnect, rename, share, disconnect; and what a
 * logic function reports. Each call checks what it can against the read model, sends the command (the aggregate
 * has the last word), and returns once reads reflect it. Disconnecting is a provider exchange: {@link Revocation}.
 */
@Service
public class ConnectionCommands {

    private final CommandSender commands;
    private final ConnectionQueries connections;
    private final ProviderClients clients;
    private final ConnectionReads reads;
    private final AuthorizationAttempts attempts;
    private final AuthorizationTickets tickets;
    private final Revocation revocation;
    private final ReadYourWrites readYourWrites;
    private final URI authorizeEndpoint;

    public ConnectionCommands(
            CommandSender commands,
            ConnectionQueries connections,
            ProviderClients clients,
            ConnectionReads reads,
            AuthorizationAttempts attempts,
            AuthorizationTickets tickets,
            Revocation revocation,
            ReadYourWrites readYourWrites,
            LatchkeyProperties properties) {
        this.commands = commands;
        this.connections = connections;
        this.clients = clients;
        this.reads = reads;
        this.attempts = attempts;
        this.tickets = tickets;
        this.revocation = revocation;
        this.readYourWrites = readYourWrites;
        this.authorizeEndpoint = UriComponentsBuilder.fromUri(properties.publicUrl())
                .path("/apps/oauth/authorize")
                .build()
                .toUri();
    }

    public record StartRequest(
            ApplicationId applicationId,
            ProviderName providerName,
            Visibility visibility,
            String name,
            String returnUrl) {}

    public StartedAuthorization start(StartRequest request, UserWorkspaceId owner, WorkspaceId workspace, Actor actor) {
        ApplicationRow application = clients.installedApplication(request.applicationId())
                .orElseThrow(() -> new InvalidConnectionValueException("applicationId", "is no installed application"));
        ConnectionProviderDefinition provider = application
                .application()
                .manifest()
                .provider(request.providerName())
                .orElseThrow(
                        () -> new InvalidConnectionValueException("providerName", "is no provider of the application"));
        requireAllowedReturnUrl(application, request.returnUrl());
        ProviderClient client = clients.forProvider(application, provider);
        String name = request.name() != null
                ? request.name()
                : provider.displayName() + " #"
                        + (connections.handle(new CountConnections(
                                        workspace, request.applicationId(), request.providerName()))
                                + 1);
        ConnectionId id = ConnectionId.random();
        AuthorizationAttempts.Attempt attempt = attempts.prepare(workspace, id, client, request.returnUrl());
        commands.send(
                new StartAuthorization(
                        id,
                        workspace,
                        request.applicationId(),
                        request.providerName(),
                        owner,
                        request.visibility(),
                        name,
                        attempt.pending()),
                actor);
        StartedAuthorization started = ticketFor(workspace, id, attempt);
        readYourWrites.awaitConnection(id);
        return started;
    }

    public StartedAuthorization reconnect(
            ConnectionId id,
            String returnUrl,
            Viewer viewer,
            WorkspaceId workspace,
            UserWorkspaceId requestedBy,
            Actor actor) {
        ConnectionRow row = reads.visibleRow(workspace, id, viewer);
        ApplicationRow application = clients.installedApplication(
                        row.connection().applicationId())
                .orElseThrow(ConnectionNotFoundException::new);
        ConnectionProviderDefinition provider = application
                .application()
                .manifest()
                .provider(row.connection().providerName())
                .orElseThrow(ConnectionNotFoundException::new);
        requireAllowedReturnUrl(application, returnUrl);
        ProviderClient client = clients.forProvider(application, provider);
        AuthorizationAttempts.Attempt attempt = attempts.prepare(workspace, id, client, returnUrl);
        commands.send(new StartReconnect(id, requestedBy, attempt.pending()), actor);
        StartedAuthorization started = ticketFor(workspace, id, attempt);
        readYourWrites.awaitConnection(id);
        return started;
    }

    public void update(
            ConnectionId id,
            String name,
            Visibility visibility,
            Viewer viewer,
            WorkspaceId workspace,
            UserWorkspaceId requestedBy,
            Actor actor) {
        reads.visibleRow(workspace, id, viewer);
        // one command: the aggregate decides the rename and the visibility together, both stored or neither
        commands.send(new UpdateConnection(id, requestedBy, name, visibility), actor);
        readYourWrites.awaitConnection(id);
    }

    /** Disconnects: the aggregate decides (owner, tokens) before the provider is called, then it is recorded. */
    public RevocationResult disconnect(
            ConnectionId id, Viewer viewer, WorkspaceId workspace, UserWorkspaceId requestedBy, Actor actor) {
        return revocation.disconnect(ConnectionTarget.of(reads.visibleRow(workspace, id, viewer)), requestedBy, actor);
    }

    /** @return false when the report was ignored (the token in question was already replaced) */
    public boolean reportAuthFailure(
            ConnectionId id,
            String reason,
            Instant accessTokenExpiresAt,
            Viewer viewer,
            WorkspaceId workspace,
            Actor actor) {
        reads.visibleRow(workspace, id, viewer);
        boolean taken = commands.send(new ReportAuthFailure(id, reason, accessTokenExpiresAt), actor);
        readYourWrites.awaitConnection(id);
        return taken;
    }

    private StartedAuthorization ticketFor(
            WorkspaceId workspace, ConnectionId id, AuthorizationAttempts.Attempt attempt) {
        AuthorizationTickets.Issued ticket = tickets.issue(workspace, id, attempt.providerUrl(), attempt.binding());
        URI url = UriComponentsBuilder.fromUri(authorizeEndpoint)
                .queryParam("ticket", ticket.ticket().reveal())
                .build()
                .toUri();
        return new StartedAuthorization(id, url, ticket.expiresAt());
    }

    private static void requireAllowedReturnUrl(ApplicationRow application, String returnUrl) {
        if (returnUrl != null && !application.application().manifest().allowsReturnUrl(returnUrl)) {
            throw new InvalidConnectionValueException("returnUrl", "is not one of the application's allowedReturnUrls");
        }
    }
}
