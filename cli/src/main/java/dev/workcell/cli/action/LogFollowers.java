package dev.workcell.cli.action;

import dev.workcell.cli.CliException;
import dev.workcell.cli.ExitCodes;
import dev.workcell.cli.connect.ControlPlane;
import dev.workcell.cli.connect.GrpcFailures;
import dev.workcell.proto.v1.Action;
import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/** The logs of several actions followed at once (--follow), each in a thread, lines prefixed by target when there are several. */
final class LogFollowers implements AutoCloseable {

    /**
     * Where following starts: a retry can begin before the follower's first call reaches the
     * control plane, and "the current attempt" would then skip the first one.
     */
    private static final int FIRST_ATTEMPT = 1;

    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final Context.CancellableContext context = Context.current().withCancellation();
    private final AtomicReference<CliException> failure = new AtomicReference<>();

    /** Followers of nothing: always done. */
    static LogFollowers none() {
        return new LogFollowers();
    }

    static LogFollowers start(ControlPlane controlPlane, List<Action> actions, PrintStream out, PrintStream err) {
        LogFollowers followers = new LogFollowers();
        LogFollower follower = new LogFollower(controlPlane);
        for (Action action : actions) {
            LogPrinter printer = new LogPrinter(out, err, actions.size() == 1 ? null : ActionTexts.target(action));
            Thread thread = new Thread(
                    () -> {
                        try {
                            follower.follow(
                                    action.getId(),
                                    FIRST_ATTEMPT,
                                    printer::write,
                                    attempt -> printer.note("attempt " + attempt),
                                    followers.context);
                        } catch (StatusRuntimeException e) {
                            followers.failure.compareAndSet(null, GrpcFailures.toCli(e));
                        } catch (CliException e) {
                            followers.failure.compareAndSet(null, e);
                        } finally {
                            printer.finish();
                        }
                    },
                    "log-" + action.getId());
            thread.setDaemon(true);
            followers.threads.add(thread);
            thread.start();
        }
        return followers;
    }

    /** True once every followed log is complete; throws what made a follower fail. */
    boolean done() {
        CliException failed = failure.get();
        if (failed != null) {
            throw failed;
        }
        return threads.stream().noneMatch(Thread::isAlive);
    }

    /** Waits at most {@code millis} for the logs to be complete (they end shortly after their actions). */
    void join(long millis) {
        long deadline = System.currentTimeMillis() + millis;
        for (Thread thread : threads) {
            try {
                thread.join(Math.max(1, deadline - System.currentTimeMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException(ExitCodes.INTERRUPTED, "interrupted");
            }
        }
    }

    @Override
    public void close() {
        context.cancel(null);
    }
}
