package dev.latchkey.app;

import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.application.ClientAuthentication;
import dev.latchkey.domain.application.ConnectionProviderDefinition;
import dev.latchkey.domain.application.Manifest;
import dev.latchkey.domain.application.OAuthSettings;
import dev.latchkey.domain.application.ServerVariableDeclaration;
import dev.latchkey.domain.application.TokenRequestContentType;
import dev.latchkey.domain.audit.AuditMetadata;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.messaging.MetaData;

/** Commands and manifests as the HTTP API will send them. */
public final class TestMessages {

    private TestMessages() {}

    public static ApplicationId newApplicationId() {
        return ApplicationId.of(UUID.randomUUID().toString());
    }

    /** A Linear-like application: one OAuth provider, {@code linear}, needing a client id and a secret. */
    public static Manifest linearManifest(ApplicationId applicationId) {
        OAuthSettings oauth = new OAuthSettings(
                "https://linear.app/oauth/authorize",
                "https://api.linear.app/oauth/token",
                "https://api.linear.app/oauth/revoke",
                List.of("read", "write"),
                "LINEAR_CLIENT_ID",
                "LINEAR_CLIENT_SECRET",
                TokenRequestContentType.FORM_URLENCODED,
                ClientAuthentication.CLIENT_SECRET_POST,
                false,
                Map.of("prompt", "consent"),
                null,
                null,
                null,
                null);
        return new Manifest(
                applicationId.value(),
                "Linear",
                "Connect Linear.",
                Map.of(
                        "LINEAR_CLIENT_ID", new ServerVariableDeclaration("OAuth client id", false, true),
                        "LINEAR_CLIENT_SECRET", new ServerVariableDeclaration("OAuth client secret", true, true)),
                List.of("https://crm.example.com/settings/apps"),
                List.of(new ConnectionProviderDefinition(
                        UUID.randomUUID().toString(), "linear", "Linear", "IconBrandLinear", "oauth", oauth)));
    }

    /** A command as sent on behalf of {@code actor}, in {@code workspaceId} when it is not null. */
    public static <C> CommandMessage<C> asCommand(C command, String actor, String workspaceId) {
        MetaData metaData = MetaData.with(AuditMetadata.ACTOR, actor);
        if (workspaceId != null) {
            metaData = metaData.and(AuditMetadata.WORKSPACE_ID, workspaceId);
        }
        return new GenericCommandMessage<>(command, metaData);
    }
}
