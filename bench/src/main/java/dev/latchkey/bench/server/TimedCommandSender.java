package dev.latchkey.bench.server;

import dev.latchkey.app.writemodel.Actor;
import dev.latchkey.app.writemodel.CommandSender;

/** The application's command sender, timing each command by its type into {@link PhaseTimes}. */
final class TimedCommandSender extends CommandSender {

    private final CommandSender delegate;
    private final PhaseTimes times;

    TimedCommandSender(CommandSender delegate, PhaseTimes times) {
        super(null); // every call goes to the delegate
        this.delegate = delegate;
        this.times = times;
    }

    @Override
    public <R> R send(Object command, Actor actor) {
        long start = System.nanoTime();
        try {
            return delegate.send(command, actor);
        } finally {
            times.add("command " + command.getClass().getSimpleName(), System.nanoTime() - start);
        }
    }
}
