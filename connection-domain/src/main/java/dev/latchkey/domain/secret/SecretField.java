package dev.latchkey.domain.secret;

/** The secret-carrying fields of a connection, part of each sealed value's associated data. */
public enum SecretField {
    ACCESS_TOKEN,
    REFRESH_TOKEN,
    TOKEN_RESPONSE,
    CODE_VERIFIER,
    /** The provider authorization URL kept for a browser ticket: it carries the state. */
    AUTHORIZATION_URL,
    /** The value of the cookie that binds a flow to the browser that started it. */
    BROWSER_BINDING,
    /** A stored answer to an idempotent request (it carries a browser ticket). */
    IDEMPOTENT_RESPONSE
}
