package dev.workcell.cli.action;

import dev.workcell.cli.CliException;
import dev.workcell.cli.ExitCodes;
import dev.workcell.cli.connect.ControlPlane;
import dev.workcell.cli.connect.GrpcFailures;
import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.WatchActionsRequest;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Live changes of actions: gRPC Watch streams whose actions arrive on one queue, read by the
 * command's thread. A stream that delivered before and then broke (a network cut, a control-plane
 * restart: UNAVAILABLE, or RESOURCE_EXHAUSTED when it fell behind) is opened again after 0.5 s,
 * doubling to 5 s; a watch by id then starts over with the action's current state. Only when it
 * cannot be opened again for {@link #GIVE_UP} is the control plane reported unreachable.
 */
public final class ActionTracker implements AutoCloseable {

    static final Duration GIVE_UP = Duration.ofSeconds(30);

    private final ControlPlane controlPlane;
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final List<ClientCallStreamObserver<?>> calls = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService reopen = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "watch-reopen");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean closed;

    public ActionTracker(ControlPlane controlPlane) {
        this.controlPlane = controlPlane;
    }

    public void watch(WatchActionsRequest request) {
        open(request, false, 0, System.nanoTime());
    }

    /** The next change, or null after {@code timeout}; a watch that failed for good throws its failure. */
    public Action poll(Duration timeout) {
        Object next;
        try {
            next = queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.INTERRUPTED, "interrupted");
        }
        if (next instanceof CliException failure) {
            throw failure;
        }
        return (Action) next;
    }

    private void open(WatchActionsRequest request, boolean delivered, int failures, long failingSince) {
        if (closed) {
            return;
        }
        controlPlane.streams().watch(request, new ClientResponseObserver<WatchActionsRequest, Action>() {
            private ClientCallStreamObserver<WatchActionsRequest> call;
            private boolean deliveredHere;

            @Override
            public void beforeStart(ClientCallStreamObserver<WatchActionsRequest> call) {
                this.call = call;
                calls.add(call);
            }

            @Override
            public void onNext(Action action) {
                deliveredHere = true;
                queue.add(action);
            }

            @Override
            public void onError(Throwable error) {
                calls.remove(call);
                Status status = Status.fromThrowable(error);
                boolean broken = status.getCode() == Status.Code.UNAVAILABLE
                        || status.getCode() == Status.Code.RESOURCE_EXHAUSTED;
                if (closed) {
                    return;
                }
                boolean everDelivered = delivered || deliveredHere;
                long since = deliveredHere ? System.nanoTime() : failingSince;
                if (!broken || !everDelivered || System.nanoTime() - since > GIVE_UP.toNanos()) {
                    queue.add(GrpcFailures.toCli(status.asRuntimeException()));
                    return;
                }
                int attempt = deliveredHere ? 0 : failures + 1;
                reopenLater(() -> open(request, true, attempt, since), delayMillis(attempt));
            }

            @Override
            public void onCompleted() {
                calls.remove(call);
                reopenLater(() -> open(request, true, 0, System.nanoTime()), delayMillis(0));
            }
        });
    }

    private void reopenLater(Runnable open, long delayMillis) {
        try {
            reopen.schedule(open, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closedMeanwhile) {
            // the tracker was closed: nothing to watch any more
        }
    }

    private static long delayMillis(int failures) {
        return Math.min(5000, 500L << Math.min(failures, 4));
    }

    @Override
    public void close() {
        closed = true;
        reopen.shutdownNow();
        calls.forEach(call -> call.cancel("the command is done", null));
    }
}
