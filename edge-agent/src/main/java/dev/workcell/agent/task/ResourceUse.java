package dev.workcell.agent.task;

/** What an attempt's process tree used, as far as the agent could tell: 0 when unknown. */
record ResourceUse(long cpuMs, long maxRssBytes) {}
