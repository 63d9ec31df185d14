package dev.latchkey.app.security;

/** The scopes of API.md, as Spring Security authorities ({@code SCOPE_} + scope). */
public final class Scopes {

    public static final String APPS_ADMIN = "SCOPE_apps:admin";
    public static final String CONNECTIONS_WRITE = "SCOPE_connections:write";
    public static final String CONNECTIONS_READ = "SCOPE_connections:read";
    public static final String CONNECTIONS_CREDENTIALS = "SCOPE_connections:credentials";
    public static final String AUDIT_READ = "SCOPE_audit:read";

    private Scopes() {}
}
