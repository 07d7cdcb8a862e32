package dev.workcell.cli.action;

import dev.workcell.proto.v1.Action;

/** What a person or a script sees while actions change: a redrawn screen, timestamped lines, JSON lines, or nothing. */
public interface Progress extends AutoCloseable {

    /** Nothing is shown while waiting (the result is printed at the end). */
    Progress NONE = new Progress() {
        @Override
        public void update(Action action) {}

        @Override
        public void tick() {}

        @Override
        public void close() {}
    };

    /** An action's new state. */
    void update(Action action);

    /** Time passed: a view that shows elapsed times redraws them. */
    void tick();

    /** The end: the last frame or a summary. */
    @Override
    void close();
}
