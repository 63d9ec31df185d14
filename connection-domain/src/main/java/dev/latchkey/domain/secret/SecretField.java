package dev.latchkey.domain.secret;

/** The secret-carrying fields of a connection, part of each sealed value's associated data. */
public enum SecretField {
    ACCESS_TOKEN,
    REFRESH_TOKEN,
    TOKEN_RESPONSE,
    CODE_VERIFIER
}
