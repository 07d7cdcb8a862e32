package dev.workcell.controlplane.web;

import java.util.Map;

/** What the shared layout shows around every page: who is signed in, which view is open, the fleet and queue counts. */
public record Frame(Viewer viewer, String view, Map<String, Long> devices, Map<String, Long> actions) {}
