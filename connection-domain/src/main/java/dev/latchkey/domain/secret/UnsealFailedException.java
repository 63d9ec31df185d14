package dev.latchkey.domain.secret;

/** A sealed value could not be opened. The message names the key and the reason, never the value. */
public class UnsealFailedException extends RuntimeException {

    public UnsealFailedException(String message) {
        super(message);
    }

    public UnsealFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
