package dev.latchkey.domain.application;

/** The seed's {@code defineConnectionProvider}: how to run one OAuth 2 handshake. Only {@code oauth} today. */
public record ConnectionProviderDefinition(
        String universalIdentifier, String name, String displayName, String icon, String type, OAuthSettings oauth) {

    public ProviderName providerName() {
        return ProviderName.of(name);
    }
}
