package dev.latchkey.domain.application;

import java.util.List;
import java.util.Map;

/** A valid manifest shaped like API.md's example, for tests to start from and break one field at a time. */
public final class ManifestFixtures {

    public static final String APP_ID = "b6f1a2c4-3d5e-4f60-8a7b-9c0d1e2f3a4b";
    public static final String PROVIDER_ID = "9c7d1f5e-6a0b-4d44-be0c-3f8b5a9d4e6f";

    private ManifestFixtures() {}

    public static OAuthSettings linearOAuth() {
        return new OAuthSettings(
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
                "https://api.linear.app/me",
                "/email",
                null,
                null);
    }

    public static Manifest linear(OAuthSettings oauth) {
        return new Manifest(
                APP_ID,
                "Linear",
                "Connect Linear.",
                Map.of(
                        "LINEAR_CLIENT_ID", new ServerVariableDeclaration("OAuth client ID", false, true),
                        "LINEAR_CLIENT_SECRET", new ServerVariableDeclaration("OAuth client secret", true, true)),
                List.of("https://crm.example.com/settings/apps"),
                List.of(new ConnectionProviderDefinition(
                        PROVIDER_ID, "linear", "Linear", "IconBrandLinear", "oauth", oauth)));
    }

    public static Manifest linear() {
        return linear(linearOAuth());
    }
}
