package dev.latchkey.domain.application;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/** Checks a manifest as API.md says and reports every error at once. */
public final class ManifestValidator {

    private static final Pattern VARIABLE_NAME = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");
    private static final int MAX_TEXT = 1000;

    private final EndpointPolicy endpoints;

    public ManifestValidator(EndpointPolicy endpoints) {
        this.endpoints = endpoints;
    }

    public List<FieldError> validate(ApplicationId applicationId, Manifest manifest) {
        List<FieldError> errors = new ArrayList<>();
        if (manifest == null) {
            return List.of(new FieldError("", "a manifest is required"));
        }
        if (!isUuid(manifest.universalIdentifier())) {
            errors.add(new FieldError("universalIdentifier", "must be a UUID"));
        } else if (applicationId != null && !manifest.universalIdentifier().equals(applicationId.value())) {
            errors.add(new FieldError("universalIdentifier", "must equal the application id in the path"));
        }
        requireText(errors, "displayName", manifest.displayName());
        if (manifest.description() != null && manifest.description().length() > MAX_TEXT) {
            errors.add(new FieldError("description", "must be at most " + MAX_TEXT + " characters"));
        }
        manifest.serverVariables().forEach((name, declaration) -> {
            if (!VARIABLE_NAME.matcher(name).matches()) {
                errors.add(new FieldError("serverVariables." + name, "name must match " + VARIABLE_NAME.pattern()));
            }
            if (declaration == null) {
                errors.add(new FieldError("serverVariables." + name, "must declare description, isSecret, isRequired"));
            }
        });
        for (int i = 0; i < manifest.allowedReturnUrls().size(); i++) {
            String url = manifest.allowedReturnUrls().get(i);
            if (!isAbsoluteWebUrl(url)) {
                errors.add(new FieldError("allowedReturnUrls[" + i + "]", "must be an absolute http or https URL"));
            }
        }
        Set<String> names = new HashSet<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < manifest.connectionProviders().size(); i++) {
            validateProvider(
                    errors,
                    "connectionProviders[" + i + "]",
                    manifest.connectionProviders().get(i),
                    manifest.serverVariables(),
                    names,
                    ids);
        }
        return errors;
    }

    private void validateProvider(
            List<FieldError> errors,
            String path,
            ConnectionProviderDefinition provider,
            Map<String, ServerVariableDeclaration> variables,
            Set<String> names,
            Set<String> ids) {
        if (provider == null) {
            errors.add(new FieldError(path, "must be an object"));
            return;
        }
        if (!isUuid(provider.universalIdentifier())) {
            errors.add(new FieldError(path + ".universalIdentifier", "must be a UUID"));
        } else if (!ids.add(provider.universalIdentifier())) {
            errors.add(new FieldError(path + ".universalIdentifier", "is used by another provider"));
        }
        if (provider.name() == null
                || !ProviderName.PATTERN.matcher(provider.name()).matches()) {
            errors.add(new FieldError(path + ".name", "must match ^[a-z][a-z0-9-]*$"));
        } else if (!names.add(provider.name())) {
            errors.add(new FieldError(path + ".name", "is used by another provider"));
        }
        requireText(errors, path + ".displayName", provider.displayName());
        if (!"oauth".equals(provider.type())) {
            errors.add(new FieldError(path + ".type", "must be oauth"));
        }
        OAuthSettings oauth = provider.oauth();
        if (oauth == null) {
            errors.add(new FieldError(path + ".oauth", "is required when type is oauth"));
            return;
        }
        String o = path + ".oauth";
        requireEndpoint(errors, o + ".authorizationEndpoint", oauth.authorizationEndpoint(), true);
        requireEndpoint(errors, o + ".tokenEndpoint", oauth.tokenEndpoint(), true);
        requireEndpoint(errors, o + ".revokeEndpoint", oauth.revokeEndpoint(), false);
        requireEndpoint(errors, o + ".userInfoEndpoint", oauth.userInfoEndpoint(), false);
        if (oauth.issuer() != null && !isAbsoluteWebUrl(oauth.issuer())) {
            errors.add(new FieldError(o + ".issuer", "must be an absolute URL"));
        }
        for (int s = 0; s < oauth.scopes().size(); s++) {
            String scope = oauth.scopes().get(s);
            if (scope == null || scope.isBlank() || scope.chars().anyMatch(c -> c <= ' ' || c == '"' || c == '\\')) {
                errors.add(new FieldError(o + ".scopes[" + s + "]", "must be a scope token (RFC 6749 §3.3)"));
            }
        }
        requireVariable(errors, o + ".clientIdVariable", oauth.clientIdVariable(), variables);
        requireVariable(errors, o + ".clientSecretVariable", oauth.clientSecretVariable(), variables);
        oauth.authorizationParams().forEach((key, value) -> {
            if (OAuthSettings.RESERVED_AUTHORIZATION_PARAMS.contains(key)) {
                errors.add(new FieldError(
                        o + ".authorizationParams." + key, "is a reserved parameter and cannot be overridden"));
            }
            if (key.startsWith("code_") || value == null) {
                errors.add(new FieldError(o + ".authorizationParams." + key, "is not allowed"));
            }
        });
        if (oauth.handleField() != null) {
            if (!oauth.handleField().isEmpty() && !oauth.handleField().startsWith("/")) {
                errors.add(new FieldError(o + ".handleField", "must be a JSON pointer such as /email"));
            }
            if (oauth.userInfoEndpoint() == null) {
                errors.add(new FieldError(o + ".handleField", "needs a userInfoEndpoint"));
            }
        }
        if (oauth.scopeSeparator() != null && oauth.scopeSeparator().isEmpty()) {
            errors.add(new FieldError(o + ".scopeSeparator", "must not be empty"));
        }
    }

    private void requireEndpoint(List<FieldError> errors, String field, String url, boolean required) {
        if (url == null || url.isBlank()) {
            if (required) {
                errors.add(new FieldError(field, "is required"));
            }
            return;
        }
        String problem = endpoints.check(url);
        if (problem != null) {
            errors.add(new FieldError(field, problem));
        }
    }

    private static void requireVariable(
            List<FieldError> errors, String field, String name, Map<String, ServerVariableDeclaration> variables) {
        if (name == null || name.isBlank()) {
            errors.add(new FieldError(field, "is required"));
        } else if (!variables.containsKey(name)) {
            errors.add(new FieldError(field, "must name a declared server variable; " + name + " is not declared"));
        }
    }

    private static void requireText(List<FieldError> errors, String field, String value) {
        if (value == null || value.isBlank()) {
            errors.add(new FieldError(field, "is required"));
        } else if (value.length() > MAX_TEXT) {
            errors.add(new FieldError(field, "must be at most " + MAX_TEXT + " characters"));
        }
    }

    private static boolean isUuid(String value) {
        if (value == null) {
            return false;
        }
        try {
            return UUID.fromString(value).toString().equalsIgnoreCase(value);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static boolean isAbsoluteWebUrl(String url) {
        if (url == null) {
            return false;
        }
        try {
            URI uri = new URI(url);
            return uri.isAbsolute()
                    && uri.getHost() != null
                    && ("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()));
        } catch (Exception e) {
            return false;
        }
    }
}
