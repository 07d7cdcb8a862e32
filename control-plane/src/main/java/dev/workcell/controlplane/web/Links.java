package dev.workcell.controlplane.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A page's URL with its query parameters, the empty ones left out: how views keep their filters in the URL. */
public final class Links {

    private final String path;
    private final List<String> parameters = new ArrayList<>();

    private Links(String path) {
        this.path = path;
    }

    public static Links of(String path) {
        return new Links(path);
    }

    public Links with(String name, String value) {
        if (value != null && !value.isEmpty()) {
            parameters.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
        return this;
    }

    @Override
    public String toString() {
        return parameters.isEmpty() ? path : path + "?" + String.join("&", parameters);
    }
}
