package dev.workcell.agent.device;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Holds back the loss of an Android device that was ready (gone from adb's list, or listed but not
 * ready) until the loss has lasted a confirmation window: right after an adb restart, adb lists its
 * devices offline for a moment, and an attempt must not fail DEVICE_LOST for that. Until then the
 * device is reported as it was last seen ready.
 */
final class LossConfirmation {

    private static final Logger LOG = Logger.getLogger(LossConfirmation.class);

    private final Duration window;
    /** The devices reported ready after the last scan, by serial. */
    private Map<String, ObservedDevice> ready = Map.of();
    /** When each held-back loss was first seen (System.nanoTime()), by serial. */
    private final Map<String, Long> lostSince = new HashMap<>();

    private boolean newlyHeld;

    LossConfirmation(Duration window) {
        this.window = window;
    }

    /** What to report of a scan (in adb's order, held-back devices that adb no longer lists last). */
    List<ObservedDevice> confirm(List<ObservedDevice> seen, long nanoTime) {
        Map<String, ObservedDevice> now = bySerial(seen);
        List<ObservedDevice> reported = new ArrayList<>();
        for (ObservedDevice device : seen) {
            ObservedDevice was = ready.get(device.serial());
            reported.add(was != null && !device.online() && stillHeld(was, device, nanoTime) ? was : device);
        }
        for (ObservedDevice was : ready.values()) {
            if (!now.containsKey(was.serial()) && stillHeld(was, null, nanoTime)) {
                reported.add(was);
            }
        }
        ready = bySerial(reported.stream().filter(ObservedDevice::online).toList());
        lostSince.keySet().removeIf(serial -> isBack(serial, now) || !ready.containsKey(serial));
        return reported;
    }

    /** The wait after which a loss the last scan began to hold back is due for confirmation; empty when none began. */
    Optional<Duration> recheckAfter() {
        boolean due = newlyHeld;
        newlyHeld = false;
        return due ? Optional.of(window) : Optional.empty();
    }

    /** Whether the loss of a ready device (seen not ready, or null: gone) is younger than the window; its first sight starts it. */
    private boolean stillHeld(ObservedDevice wasReady, ObservedDevice seen, long nanoTime) {
        Long since = lostSince.putIfAbsent(wasReady.serial(), nanoTime);
        if (since == null) {
            newlyHeld = true;
            LOG.infof(
                    "Android device %s %s; it counts as lost only if it stays so for %s",
                    wasReady.serial(), what(seen), window);
            return true;
        }
        return nanoTime - since < window.toNanos();
    }

    private static boolean isBack(String serial, Map<String, ObservedDevice> now) {
        boolean back = now.containsKey(serial) && now.get(serial).online();
        if (back) {
            LOG.infof("Android device %s is ready again: not lost", serial);
        }
        return back;
    }

    private static Map<String, ObservedDevice> bySerial(List<ObservedDevice> devices) {
        return devices.stream()
                .collect(Collectors.toMap(ObservedDevice::serial, Function.identity(), (first, second) -> first));
    }

    private static String what(ObservedDevice seen) {
        return seen == null ? "is no longer listed by adb" : "is not ready (" + seen.health() + ")";
    }
}
