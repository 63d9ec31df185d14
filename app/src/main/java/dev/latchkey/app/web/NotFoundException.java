package dev.latchkey.app.web;

/** The resource does not exist or the caller may not see it: 404 either way. */
public class NotFoundException extends RuntimeException {

    public NotFoundException() {
        super("not found", null, false, false);
    }
}
