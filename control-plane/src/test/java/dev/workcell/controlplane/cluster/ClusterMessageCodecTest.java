package dev.workcell.controlplane.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.workcell.controlplane.cluster.ClusterMessage.ActionsChanged;
import dev.workcell.controlplane.cluster.ClusterMessage.AgentsRevoked;
import dev.workcell.controlplane.cluster.ClusterMessage.AvailabilityChanged;
import dev.workcell.controlplane.cluster.ClusterMessage.DevicesRelabelled;
import dev.workcell.controlplane.cluster.ClusterMessage.Kick;
import dev.workcell.controlplane.cluster.ClusterMessage.KickMatching;
import dev.workcell.controlplane.cluster.ClusterMessage.StopAttempt;
import dev.workcell.controlplane.cluster.ClusterMessage.WorkersChanged;
import dev.workcell.controlplane.cluster.ClusterMessage.WorkersTaken;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterMessageCodecTest {

    /** Ids as a device or an agent may name them: spaces, the escape characters themselves, other scripts, nothing. */
    private static final List<String> ODD =
            List.of("emulator 5554", "a+b%20c", "Pixel_8 «β» 手机", "", "tab\there", "line\nbreak");

    @Test
    void everyKindOfMessageComesBackEqualFromItsText() {
        List<ClusterMessage> messages = List.of(
                new Kick("R58M12ABC"),
                new KickMatching(List.of(1L, 42L, Long.MAX_VALUE)),
                new StopAttempt("w-1", "0123456789abcdef0123456789abcdef01234567", 3),
                new ActionsChanged(List.of("a1", "a2")),
                new DevicesRelabelled(List.of("d1")),
                new AgentsRevoked(List.of("agent-7")),
                new WorkersTaken(List.of("w-1", "w-2", "w-3")),
                new WorkersChanged(List.of("all")),
                new AvailabilityChanged(List.of("d1", "d2")));

        messages.forEach(message -> assertThat(ClusterMessageCodec.decode(ClusterMessageCodec.encode(message)))
                .isEqualTo(message));
    }

    @Test
    void oddCharactersInArgumentsNeitherSplitNorShiftThem() {
        for (String odd : ODD) {
            assertThat(ClusterMessageCodec.decode(ClusterMessageCodec.encode(new Kick(odd))))
                    .isEqualTo(new Kick(odd));
            StopAttempt stop = new StopAttempt(odd, odd + " again", 2);
            assertThat(ClusterMessageCodec.decode(ClusterMessageCodec.encode(stop)))
                    .isEqualTo(stop);
        }
        ActionsChanged all = new ActionsChanged(ODD);
        assertThat(ClusterMessageCodec.decode(ClusterMessageCodec.encode(all))).isEqualTo(all);
    }

    @Test
    void anEncodedMessageIsOneLineWithOneSpaceBeforeEachArgument() {
        String text = ClusterMessageCodec.encode(new ActionsChanged(ODD));

        assertThat(text).doesNotContain("\n", "\t");
        assertThat(text.split(" ", -1)).hasSize(1 + ODD.size());
    }

    @Test
    void anEmptyListAndAListOfOneEmptyIdStayApart() {
        assertThat(ClusterMessageCodec.decode(ClusterMessageCodec.encode(new WorkersTaken(List.of()))))
                .isEqualTo(new WorkersTaken(List.of()));
        assertThat(ClusterMessageCodec.decode(ClusterMessageCodec.encode(new WorkersTaken(List.of("")))))
                .isEqualTo(new WorkersTaken(List.of("")));
    }

    @Test
    void idsGatheredFromManyMessagesReadAsOneMessageOfThemAll() {
        List<String> escaped = ODD.stream().map(ClusterMessageCodec::escape).toList();

        assertThat(ClusterMessageCodec.decode(ClusterMessageCodec.text(ClusterMessageCodec.CHANGED, escaped)))
                .isEqualTo(new ActionsChanged(ODD));
    }

    @Test
    void anUnknownKindOrAWrongNumberOfArgumentsIsRefusedNamingWhy() {
        assertThatThrownBy(() -> ClusterMessageCodec.decode("launch missiles"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown kind 'launch'");
        assertThatThrownBy(() -> ClusterMessageCodec.decode("stop w-1 a-1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stop takes 3 arguments, got 2");
        assertThatThrownBy(() -> ClusterMessageCodec.decode("kick-matching seven"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
