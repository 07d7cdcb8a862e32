package dev.workcell.controlplane.web;

import dev.workcell.proto.v1.Action;
import dev.workcell.proto.v1.ActionStatus;
import dev.workcell.proto.v1.BusyDevice;
import dev.workcell.proto.v1.PendingSlice;
import java.util.HashSet;
import java.util.Set;

/**
 * What can change why an action waits, besides its own changes: any dispatch (the queue moves and a
 * free device may be taken), any change of an action on a device it waits for (a busy one, or the
 * target it names), and a change of such a device's availability (offline or back, quarantined or
 * released, approved, drained); for an action by dimensions, of any device's, since the answer
 * counts the matching devices without naming them. The Action view explains the wait again on those.
 */
record WaitingOn(String actionId, Set<String> devices, boolean byDimensions) {

    static final WaitingOn NOTHING = new WaitingOn("", Set.of(), false);

    static WaitingOn of(ActionView view) {
        if (view.pending() == null) {
            return NOTHING;
        }
        Set<String> devices = new HashSet<>();
        boolean byDimensions = false;
        for (PendingSlice slice : view.pending().getSlicesList()) {
            if (slice.getTarget().isEmpty()) {
                byDimensions = true;
            } else {
                devices.add(slice.getTarget());
            }
            slice.getBusyDevicesList().stream().map(BusyDevice::getDevice).forEach(devices::add);
        }
        return new WaitingOn(view.action().getId(), Set.copyOf(devices), byDimensions);
    }

    /** Whether another action's change may change the wait. */
    boolean movedBy(Action change) {
        if (this == NOTHING || change.getId().equals(actionId)) {
            return false;
        }
        return change.getStatus() == ActionStatus.DISPATCHED || devices.contains(change.getTarget());
    }

    /** Whether a change of this device's availability may change the wait. */
    boolean movedByDevice(String deviceId) {
        return this != NOTHING && (byDimensions || devices.contains(deviceId));
    }
}
