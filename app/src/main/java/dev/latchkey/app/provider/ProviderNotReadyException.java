package dev.latchkey.app.provider;

/** The provider's client id or secret is not set: the server admin must fill in the server variables (409). */
public class ProviderNotReadyException extends RuntimeException {

    public ProviderNotReadyException(String message) {
        super(message);
    }
}
