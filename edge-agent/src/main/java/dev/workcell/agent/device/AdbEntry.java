package dev.workcell.agent.device;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One device line of {@code adb devices -l}: the serial, the state ("device", "offline",
 * "unauthorized", "no permissions (...)", ...) and the trailing key:value attributes
 * (usb, product, model, device, transport_id).
 */
record AdbEntry(String serial, String state, Map<String, String> attributes) {

    /** The state of a device adb can run commands on. */
    static final String READY = "device";

    private static final Pattern ATTRIBUTE = Pattern.compile("[a-z_]+:\\S+");

    AdbEntry {
        attributes = Map.copyOf(attributes);
    }

    boolean ready() {
        return READY.equals(state);
    }

    /** The device lines of the listing; the header, daemon messages ("* daemon started") and blank lines are skipped. */
    static List<AdbEntry> parse(List<String> listing) {
        return listing.stream()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("*") && !line.startsWith("List of devices"))
                .map(AdbEntry::parseLine)
                .toList();
    }

    /** Attributes are the trailing key:value words; what lies between the serial and them is the state, spaces and all. */
    private static AdbEntry parseLine(String line) {
        List<String> words = new ArrayList<>(Arrays.asList(line.split("\\s+")));
        String serial = words.remove(0);
        Map<String, String> attributes = new LinkedHashMap<>();
        while (words.size() > 1
                && ATTRIBUTE.matcher(words.get(words.size() - 1)).matches()) {
            String word = words.remove(words.size() - 1);
            attributes.putIfAbsent(word.substring(0, word.indexOf(':')), word.substring(word.indexOf(':') + 1));
        }
        return new AdbEntry(serial, String.join(" ", words), attributes);
    }
}
