package dev.latchkey.app.readmodel;

import dev.latchkey.app.web.NotFoundException;

/** Test fixture: infrastructure reaching up into the HTTP layer, which ModuleBoundariesTest must catch. */
public class BackwardsArrow {

    RuntimeException notFound() {
        return new NotFoundException();
    }
}
