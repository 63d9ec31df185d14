package dev.latchkey.app.connection;

import dev.latchkey.app.browser.AuthorizationTickets;
import dev.latchkey.app.config.LatchkeyProperties;
import dev.latchkey.app.readmodel.ReadYourWrites;
import dev.latchkey.app.web.NotFoundException;
import dev.latchkey.app.web.RequestValidationException;
import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.application.ConnectionProviderDefinition;
import dev.latchkey.domain.application.ProviderName;
import dev.latchkey.domain.connection.ChangeVisibility;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.RenameConnection;
import dev.latchkey.domain.connection.ReportAuthFailure;
import dev.latchkey.domain.connection.RevocationOutcome;
import dev.latchkey.domain.connection.Revoke;
import dev.latchkey.domain.connection.StartAuthorization;
import dev.latchkey.domain.connection.StartReconnect;
import dev.latchkey.domain.connection.UserWorkspaceId;
import dev.latchkey.domain.connection.Visibility;
import dev.latchkey.domain.connection.WorkspaceId;
import dev.latchkey.domain.provider.ProviderClient;
import dev.latchkey.domain.provider.ProviderExchange;
import dev.latchkey.domain.provider.RevocationResult;
import dev.latchkey.domain.secret.SecretField;
import dev.latchkey.query.application.ApplicationRow;
import dev.latchkey.query.connection.ConnectionQueries;
import dev.latchkey.query.connection.ConnectionRow;
import dev.latchkey.query.connection.CountConnections;
import dev.latchkey.query.connection.GetConnection;
import dev.latchkey.query.connection.Viewer;
import java.net.URI;
import java.time.Instant;
import org.springframework.stereotype.Service;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * What members do to connections through the gateway: start, reconnect, rename, share, disconnect; and what a
 * logic function reports. Each call checks what it can against the read model, sends the command (the aggregate
 * has the last word), and returns once reads reflect it.
 */
@Service
public class ConnectionCommands {

    private final CommandSender commands;
    private final ConnectionQueries connections;
    private final ProviderClients clients;
    private final ProviderExchange exchange;
    private final AuthorizationAttempts attempts;
    private final AuthorizationTickets tickets;
    private final ConnectionSecrets secrets;
    private final ReadYourWrites readYourWrites;
    private final URI authorizeEndpoint;

    public ConnectionCommands(
            CommandSender commands,
            ConnectionQueries connections,
            ProviderClients clients,
            ProviderExchange exchange,
            AuthorizationAttempts attempts,
            AuthorizationTickets tickets,
            ConnectionSecrets secrets,
            ReadYourWrites readYourWrites,
            LatchkeyProperties properties) {
        this.commands = commands;
        this.connections = connections;
        this.clients = clients;
        this.exchange = exchange;
        this.attempts = attempts;
        this.tickets = tickets;
        this.secrets = secrets;
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
        ApplicationRow application = clients.application(request.applicationId())
                .orElseThrow(() -> RequestValidationException.of("applicationId", "no such application is installed"));
        ConnectionProviderDefinition provider = application
                .application()
                .manifest()
                .provider(request.providerName())
                .orElseThrow(
                        () -> RequestValidationException.of("providerName", "the application has no such provider"));
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
        ConnectionRow row = visible(workspace, id, viewer);
        ApplicationRow application =
                clients.application(row.connection().applicationId()).orElseThrow(NotFoundException::new);
        ConnectionProviderDefinition provider = application
                .application()
                .manifest()
                .provider(row.connection().providerName())
                .orElseThrow(NotFoundException::new);
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
        visible(workspace, id, viewer);
        if (name != null) {
            commands.send(new RenameConnection(id, requestedBy, name), actor);
        }
        if (visibility != null) {
            commands.send(new ChangeVisibility(id, requestedBy, visibility), actor);
        }
        readYourWrites.awaitConnection(id);
    }

    /**
     * Revokes at the provider (outside any transaction), then records the disconnect whatever the provider said.
     */
    public RevocationResult disconnect(
            ConnectionId id, Viewer viewer, WorkspaceId workspace, UserWorkspaceId requestedBy, Actor actor) {
        ConnectionRow row = visible(workspace, id, viewer);
        RevocationResult result = revokeAtProvider(row);
        commands.send(new Revoke(id, requestedBy, result.refreshToken(), result.accessToken()), actor);
        readYourWrites.awaitConnection(id);
        return result;
    }

    /** Best effort: a provider that is gone or misconfigured leaves the outcomes {@code failed}. */
    public RevocationResult revokeAtProvider(ConnectionRow row) {
        ProviderClient client;
        try {
            client = clients.forProvider(
                    row.connection().applicationId(), row.connection().providerName());
        } catch (ProviderNotReadyException e) {
            client = null;
        }
        return revokeAtProvider(row, client);
    }

    /** @param client null when the application's OAuth client can no longer be built */
    public RevocationResult revokeAtProvider(ConnectionRow row, ProviderClient client) {
        if (row.tokens() == null) {
            return new RevocationResult(RevocationOutcome.UNSUPPORTED, RevocationOutcome.UNSUPPORTED);
        }
        if (client == null) {
            return new RevocationResult(RevocationOutcome.FAILED, RevocationOutcome.FAILED);
        }
        WorkspaceId workspace = row.connection().workspaceId();
        ConnectionId id = row.connection().id();
        return exchange.revoke(
                client,
                secrets.unseal(
                        workspace, id, SecretField.REFRESH_TOKEN, row.tokens().refreshToken()),
                secrets.unseal(
                        workspace, id, SecretField.ACCESS_TOKEN, row.tokens().accessToken()));
    }

    /** @return false when the report was ignored (the token in question was already replaced) */
    public boolean reportAuthFailure(
            ConnectionId id,
            String reason,
            Instant accessTokenExpiresAt,
            Viewer viewer,
            WorkspaceId workspace,
            Actor actor) {
        visible(workspace, id, viewer);
        boolean taken = commands.send(new ReportAuthFailure(id, reason, accessTokenExpiresAt), actor);
        readYourWrites.awaitConnection(id);
        return taken;
    }

    public ConnectionRow visible(WorkspaceId workspace, ConnectionId id, Viewer viewer) {
        return connections.handle(new GetConnection(workspace, id, viewer)).orElseThrow(NotFoundException::new);
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
            throw RequestValidationException.of("returnUrl", "is not one of the application's allowedReturnUrls");
        }
    }
}
