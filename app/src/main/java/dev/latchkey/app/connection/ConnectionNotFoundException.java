package dev.latchkey.app.connection;

/** The connection does not exist, or the caller may not see it: the same answer either way. */
public class ConnectionNotFoundException extends RuntimeException {

    public ConnectionNotFoundException() {
        super("no such connection", null, false, false);
    }
}
