package dev.workcell.cli.output;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Whether output goes to a person's terminal, and its size. */
public final class Terminal {

    /** Rows and columns of the terminal. */
    public record Size(int rows, int columns) {}

    private Terminal() {}

    /**
     * True when stdin and stdout are a terminal (what System.console() tells on Java 17) and the
     * terminal is not "dumb": only then does a command redraw lines in place.
     */
    public static boolean interactive() {
        return System.console() != null && !"dumb".equals(System.getenv("TERM"));
    }

    /** The terminal's size from {@code stty size}, 24 x 80 when it cannot tell. */
    public static Size size() {
        try {
            Process stty = new ProcessBuilder("stty", "size")
                    .redirectInput(new File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String[] answer = new String(stty.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)
                    .trim()
                    .split("\\s+");
            if (stty.waitFor() == 0 && answer.length == 2) {
                return new Size(Integer.parseInt(answer[0]), Integer.parseInt(answer[1]));
            }
        } catch (IOException | NumberFormatException e) {
            // no stty or no tty: the usual size
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new Size(24, 80);
    }
}
