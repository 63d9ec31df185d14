package dev.latchkey.query.connection;

import java.util.List;

public record ConnectionList(List<ConnectionRow> items) {

    public ConnectionList {
        items = List.copyOf(items);
    }
}
