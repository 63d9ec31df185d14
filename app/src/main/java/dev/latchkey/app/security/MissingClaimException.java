package dev.latchkey.app.security;

/** The token is valid but lacks a claim this call needs: 403. */
public class MissingClaimException extends RuntimeException {

    public MissingClaimException(String message) {
        super(message);
    }
}
