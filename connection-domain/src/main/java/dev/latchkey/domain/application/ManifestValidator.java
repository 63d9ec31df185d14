package dev.latchkey.domain.application;

import dev.latchkey.domain.ControlCharacters;
import java.net.URI;
import java.time.Duration;
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
        optionalText(errors, "description", manifest.description());
        manifest.serverVariables().forEach((name, declaration) -> {
            if (!VARIABLE_NAME.matcher(name).matches()) {
                errors.add(new FieldError("serverVariables." + name, "name must match " + VARIABLE_NAME.pattern()));
            }
            if (declaration == null) {
                errors.add(new FieldError("serverVariables." + name, "must declare description, isSecret, isRequired"));
            } else {
                optionalText(errors, "serverVariables." + name + ".description", declaration.description());
            }
        });
        for (int i = 0; i < manifest.allowedReturnUrls().size(); i++) {
            String url = manifest.allowedReturnUrls().get(i);
            if (url == null) {
                errors.add(new FieldError("allowedReturnUrls[" + i + "]", "must not be null"));
            } else if (refusedControls(errors, "allowedReturnUrls[" + i + "]", url)) {
                continue;
            } else if (!isAbsoluteWebUrl(url)) {
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
        if (refusedControls(errors, path + ".name", provider.name())) {
            // named once
        } else if (provider.name() == null
                || !ProviderName.PATTERN.matcher(provider.name()).matches()) {
            errors.add(new FieldError(path + ".name", "must match ^[a-z][a-z0-9-]*$"));
        } else if (!names.add(provider.name())) {
            errors.add(new FieldError(path + ".name", "is used by another provider"));
        }
        requireText(errors, path + ".displayName", provider.displayName());
        optionalText(errors, path + ".icon", provider.icon());
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
        if (refusedControls(errors, o + ".issuer", oauth.issuer())) {
            // named once
        } else if (oauth.issuer() != null && !isAbsoluteWebUrl(oauth.issuer())) {
            errors.add(new FieldError(o + ".issuer", "must be an absolute URL"));
        }
        for (int s = 0; s < oauth.scopes().size(); s++) {
            String scope = oauth.scopes().get(s);
            if (scope == null
                    || scope.isBlank()
                    || scope.chars().anyMatch(c -> c <= ' ' || c == 0x7f || c == '"' || c == '\\')) {
                errors.add(new FieldError(o + ".scopes[" + s + "]", "must be a scope token (RFC 6749 §3.3)"));
            }
        }
        requireVariable(errors, o + ".clientIdVariable", oauth.clientIdVariable(), variables);
        requireVariable(errors, o + ".clientSecretVariable", oauth.clientSecretVariable(), variables);
        oauth.authorizationParams().forEach((key, value) -> {
            if (refusedControls(errors, o + ".authorizationParams." + key, key)
                    || refusedControls(errors, o + ".authorizationParams." + key, value)) {
                return;
            }
            if (OAuthSettings.RESERVED_AUTHORIZATION_PARAMS.contains(key)) {
                errors.add(new FieldError(
                        o + ".authorizationParams." + key, "is a reserved parameter and cannot be overridden"));
            }
            if (key.startsWith("code_") || value == null) {
                errors.add(new FieldError(o + ".authorizationParams." + key, "is not allowed"));
            }
        });
        if (refusedControls(errors, o + ".handleField", oauth.handleField())) {
            // named once
        } else if (oauth.handleField() != null) {
            if (!oauth.handleField().isEmpty() && !oauth.handleField().startsWith("/")) {
                errors.add(new FieldError(o + ".handleField", "must be a JSON pointer such as /email"));
            }
            if (oauth.userInfoEndpoint() == null) {
                errors.add(new FieldError(o + ".handleField", "needs a userInfoEndpoint"));
            }
        }
        if (refusedControls(errors, o + ".scopeSeparator", oauth.scopeSeparator())) {
            // named once
        } else if (oauth.scopeSeparator() != null && oauth.scopeSeparator().isEmpty()) {
            errors.add(new FieldError(o + ".scopeSeparator", "must not be empty"));
        }
        if (oauth.defaultExpiresIn() != null
                && (oauth.defaultExpiresIn() < 1 || oauth.defaultExpiresIn() > MAX_DEFAULT_EXPIRES_IN.toSeconds())) {
            errors.add(new FieldError(
                    o + ".defaultExpiresIn",
                    "must be a number of seconds from 1 to " + MAX_DEFAULT_EXPIRES_IN.toSeconds()));
        }
        if (Boolean.FALSE.equals(oauth.tokensExpire()) && oauth.defaultExpiresIn() != null) {
            errors.add(new FieldError(o + ".defaultExpiresIn", "cannot be given when tokensExpire is false"));
        }
        if (refusedControls(errors, o + ".keepAlive", oauth.keepAlive())) {
            // named once
        } else if (oauth.keepAlive() != null) {
            Duration keepAlive = null;
            try {
                keepAlive = Duration.parse(oauth.keepAlive());
            } catch (java.time.format.DateTimeParseException e) {
                // named below
            }
            if (keepAlive == null
                    || keepAlive.compareTo(MIN_KEEP_ALIVE) < 0
                    || keepAlive.compareTo(MAX_KEEP_ALIVE) > 0) {
                errors.add(new FieldError(
                        o + ".keepAlive", "must be an ISO-8601 duration from PT1H to P3650D, such as P30D"));
            }
        }
    }

    /** The longest {@code defaultExpiresIn} taken: a year, as for a response's {@code expires_in}. */
    static final Duration MAX_DEFAULT_EXPIRES_IN = Duration.ofDays(365);

    static final Duration MIN_KEEP_ALIVE = Duration.ofHours(1);
    static final Duration MAX_KEEP_ALIVE = Duration.ofDays(3650);

    private void requireEndpoint(List<FieldError> errors, String field, String url, boolean required) {
        if (refusedControls(errors, field, url)) {
            return;
        }
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
        if (refusedControls(errors, field, name)) {
            return;
        }
        if (name == null || name.isBlank()) {
            errors.add(new FieldError(field, "is required"));
        } else if (!variables.containsKey(name)) {
            errors.add(new FieldError(field, "must name a declared server variable; " + name + " is not declared"));
        }
    }

    private static void requireText(List<FieldError> errors, String field, String value) {
        if (refusedControls(errors, field, value)) {
            return;
        }
        if (value == null || value.isBlank()) {
            errors.add(new FieldError(field, "is required"));
        } else if (value.length() > MAX_TEXT) {
            errors.add(new FieldError(field, "must be at most " + MAX_TEXT + " characters"));
        }
    }

    private static void optionalText(List<FieldError> errors, String field, String value) {
        if (value != null && !refusedControls(errors, field, value) && value.length() > MAX_TEXT) {
            errors.add(new FieldError(field, "must be at most " + MAX_TEXT + " characters"));
        }
    }

    /** API.md's text rule; tab and newline only in a description. @return whether {@code field} was refused */
    private static boolean refusedControls(List<FieldError> errors, String field, String value) {
        boolean multiline = ControlCharacters.isMultilineField(field.substring(field.lastIndexOf('.') + 1));
        if (multiline ? ControlCharacters.inMultiline(value) : ControlCharacters.in(value)) {
            errors.add(
                    new FieldError(field, multiline ? ControlCharacters.REFUSED_MULTILINE : ControlCharacters.REFUSED));
            return true;
        }
        return false;
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
