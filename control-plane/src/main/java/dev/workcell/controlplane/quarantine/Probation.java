package dev.workcell.controlplane.quarantine;

import dev.workcell.controlplane.action.LedgerQueries;
import dev.workcell.controlplane.action.Manager;
import dev.workcell.controlplane.config.WorkcellConfig;
import dev.workcell.controlplane.device.DeviceStore;
import dev.workcell.controlplane.security.Caller;
import dev.workcell.controlplane.security.Roles;
import dev.workcell.proto.v1.ActionInput;
import dev.workcell.proto.v1.Device;
import dev.workcell.proto.v1.ExecInput;
import dev.workcell.proto.v1.Operation;
import dev.workcell.proto.v1.OsKind;
import dev.workcell.proto.v1.SubmitActionRequest;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.Set;

/**
 * Probation of automatically quarantined devices: when a device's probe is due, an EXEC of a
 * harmless command is submitted for it (the one action its quarantine lets through); a probe that
 * passes releases the device, one that does not keeps it in quarantine until the next probe.
 */
@ApplicationScoped
public class Probation {

    /** Who submits probes, as the ledger records it. */
    static final Caller PROBER = new Caller(Quarantines.WORKCELL, "quarantine probe", Set.of(Roles.ADMIN), null);

    private final Manager manager;
    private final LedgerQueries queries;
    private final DeviceStore devices;
    private final Quarantines quarantines;
    private final WorkcellConfig.Quarantine.Probe probe;

    public Probation(
            Manager manager,
            LedgerQueries queries,
            DeviceStore devices,
            Quarantines quarantines,
            WorkcellConfig config) {
        this.manager = manager;
        this.queries = queries;
        this.devices = devices;
        this.quarantines = quarantines;
        this.probe = config.quarantine().probe();
    }

    /** Submits the probe of every automatic quarantine whose next probe is due. */
    Uni<Void> submitDue() {
        return OneByOne.each(Panache.withSession(() -> Quarantine.probeDue(OffsetDateTime.now())), this::submit);
    }

    /** Releases the devices whose probe passed; schedules the next probe of those whose probe did not. */
    Uni<Void> judge() {
        return OneByOne.each(Panache.withSession(Quarantine::probing), this::judge);
    }

    private Uni<Void> submit(Quarantine quarantine) {
        return devices.resolve(quarantine.deviceId)
                .chain(device -> manager.submit(probeOf(quarantine.deviceId, device), PROBER))
                .chain(submitted -> quarantines.probing(
                        quarantine.id,
                        quarantine.deviceId,
                        submitted.getAction().getId()))
                .invoke(counted ->
                        Log.infof("probation probe submitted for quarantined device %s", quarantine.deviceId))
                .onFailure()
                .call(failure -> {
                    Log.warnf(
                            "no probation probe for quarantined device %s (tried again in %s): %s",
                            quarantine.deviceId, probe.delay(), failure.getMessage());
                    return quarantines.postponeProbe(quarantine.id, probe.delay());
                })
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    private Uni<Void> judge(Quarantine quarantine) {
        String probeId = quarantine.probeActionId;
        return queries.get(probeId).chain(action -> {
            if (action.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            return switch (action.get().getStatus()) {
                case SUCCEEDED -> quarantines.releaseIfActive(quarantine.id, "probation probe " + probeId + " passed");
                case FAILED, CANCELLED, EXPIRED ->
                    quarantines.probeFailed(
                            quarantine.id,
                            probeId,
                            action.get().getStatus().name().toLowerCase()
                                    + (action.get().getError().isEmpty()
                                            ? ""
                                            : ": " + action.get().getError()),
                            probe.delay());
                default -> Uni.createFrom().voidItem();
            };
        });
    }

    private SubmitActionRequest probeOf(String deviceId, Optional<Device> device) {
        boolean android =
                device.map(found -> found.getOs().getKind() == OsKind.ANDROID).orElse(false);
        return SubmitActionRequest.newBuilder()
                .setOperation(Operation.EXEC)
                .setTarget(deviceId)
                .setInput(ActionInput.newBuilder()
                        .setExec(ExecInput.newBuilder()
                                .addAllArgv(android ? probe.androidCommand() : probe.command())
                                .setTimeoutSeconds(probe.timeoutSeconds())))
                .setForce(true)
                .build();
    }
}
