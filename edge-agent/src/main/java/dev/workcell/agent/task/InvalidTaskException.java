package dev.workcell.agent.task;

/** A task the agent cannot turn into a process (bad template, wrong input); reported as AGENT_ERROR. */
public class InvalidTaskException extends RuntimeException {

    public InvalidTaskException(String message) {
        super(message);
    }
}
