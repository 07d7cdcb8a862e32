package dev.workcell.controlplane.web;

import com.google.protobuf.Timestamp;
import io.quarkus.qute.TemplateExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;

/** How the pages write ids, counts and times: a short id, "1 subject" or "3 subjects", an ISO time, and "12 s ago". */
@TemplateExtension
public class TemplateExtensions {

    /** The first 8 characters of an id, enough to tell actions and devices apart on a page. */
    static String shortId(String id) {
        return id.length() > 8 ? id.substring(0, 8) : id;
    }

    /** A count with its noun, singular for one: {@code {campaign.runs.counted('time')}} is "1 time" or "2 times". */
    static String counted(Number count, String noun) {
        return count + " " + noun + (count.longValue() == 1 ? "" : "s");
    }

    static String iso(Timestamp time) {
        return isSet(time)
                ? Instant.ofEpochSecond(time.getSeconds(), time.getNanos()).toString()
                : "";
    }

    static String iso(OffsetDateTime time) {
        return time == null ? "" : time.toInstant().toString();
    }

    static String ago(Timestamp time) {
        if (!isSet(time)) {
            return "";
        }
        Duration age = Duration.between(Instant.ofEpochSecond(time.getSeconds(), time.getNanos()), Instant.now());
        if (age.isNegative() || age.toSeconds() < 60) {
            return Math.max(0, age.toSeconds()) + " s ago";
        }
        if (age.toMinutes() < 60) {
            return age.toMinutes() + " min ago";
        }
        if (age.toHours() < 48) {
            return age.toHours() + " h ago";
        }
        return age.toDays() + " days ago";
    }

    private static boolean isSet(Timestamp time) {
        return time.getSeconds() != 0 || time.getNanos() != 0;
    }
}
