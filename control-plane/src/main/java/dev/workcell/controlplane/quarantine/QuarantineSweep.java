package dev.workcell.controlplane.quarantine;

import dev.workcell.controlplane.config.WorkcellConfig;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * The quarantine's housekeeping, on every replica (each step is guarded, so replicas that meet
 * change nothing twice): releases quarantines whose end time passed, quarantines failing devices,
 * judges probation probes and submits the due ones. A scheduled method returning a Uni runs on a
 * safe Vert.x context, as Panache needs (a Vert.x timer's context is not one).
 */
@ApplicationScoped
public class QuarantineSweep {

    private final FailingDevices failing;
    private final Quarantines quarantines;
    private final Probation probation;
    private final Duration probeDelay;

    public QuarantineSweep(
            FailingDevices failing, Quarantines quarantines, Probation probation, WorkcellConfig config) {
        this.failing = failing;
        this.quarantines = quarantines;
        this.probation = probation;
        this.probeDelay = config.quarantine().probe().delay();
    }

    @Scheduled(
            every = "${workcell.quarantine.sweep-interval}",
            delayed = "${workcell.quarantine.sweep-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        return releaseEnded()
                .chain(this::quarantineFailing)
                .chain(probation::judge)
                .chain(probation::submitDue)
                .onFailure()
                .invoke(failure -> Log.warnf("quarantine sweep failed: %s", failure.getMessage()))
                .onFailure()
                .recoverWithNull();
    }

    private Uni<Void> releaseEnded() {
        return OneByOne.each(
                Panache.withSession(() -> Quarantine.ended(OffsetDateTime.now())),
                quarantine ->
                        quarantines.releaseIfActive(quarantine.id, "its end time " + quarantine.endsAt + " passed"));
    }

    private Uni<Void> quarantineFailing() {
        return OneByOne.each(failing.find().map(byDevice -> List.copyOf(byDevice.entrySet())), this::quarantine);
    }

    private Uni<Void> quarantine(Map.Entry<String, List<QuarantineEvidence>> device) {
        return quarantines
                .quarantineFailing(device.getKey(), device.getValue(), probeDelay)
                .invoke(started -> Log.warnf("device %s quarantined: %s", device.getKey(), started.note))
                .onFailure()
                .invoke(failure -> Log.infof("device %s not quarantined: %s", device.getKey(), failure.getMessage()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }
}
