package dev.workcell.controlplane.device;

import dev.workcell.proto.v1.Device;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Stable ids for devices and workers, following the original's SameAs: a device is its serial
 * when it has one, else its hardware and name. The same device therefore gets the same id across
 * agent restarts and re-plugs; a worker is its (host, target) pair.
 */
public final class DeviceIdentity {

    private DeviceIdentity() {}

    public static String deviceId(Device device) {
        if (!device.getSerial().isEmpty()) {
            return sha1("serial:" + device.getSerial());
        }
        return sha1("hardware:" + device.getHardware().getProduct() + ":"
                + device.getHardware().getCpu() + ":name:" + device.getName());
    }

    public static String workerId(String hostId, String targetId) {
        return sha1("worker:" + hostId + ":" + targetId);
    }

    private static String sha1(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-1");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JDK", e);
        }
    }
}
