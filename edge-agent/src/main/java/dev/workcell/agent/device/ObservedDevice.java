package dev.workcell.agent.device;

import dev.workcell.proto.v1.Device;
import dev.workcell.proto.v1.DeviceState;
import dev.workcell.proto.v1.DeviceStatus;

/** A device as the last scan saw it: its description, whether it can take work (ONLINE or OFFLINE), and its health probe result. */
public record ObservedDevice(Device device, DeviceState state, String health) {

    /** Health of a device whose probe found nothing wrong. */
    public static final String OK = "ok";

    static ObservedDevice online(Device device) {
        return new ObservedDevice(device, DeviceState.ONLINE, OK);
    }

    static ObservedDevice offline(Device device, String health) {
        return new ObservedDevice(device, DeviceState.OFFLINE, health);
    }

    public String serial() {
        return device.getSerial();
    }

    public boolean online() {
        return state == DeviceState.ONLINE;
    }

    public DeviceStatus status() {
        return DeviceStatus.newBuilder()
                .setSerial(serial())
                .setState(state)
                .setHealth(health)
                .build();
    }
}
