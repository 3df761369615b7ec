package dev.jsync.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link NetLimits}: built by a builder that starts at the documented defaults and checks the result. */
class NetLimitsTest {

  @Test
  void theBuilderStartsAtTheDocumentedDefaults() {
    NetLimits d = NetLimits.builder().build();
    assertThat(d).isEqualTo(NetLimits.defaults()).hasSameHashCodeAs(NetLimits.defaults());
    assertThat(d.maxFrameBytes()).isEqualTo(16 << 20);
    assertThat(d.maxRequestBytesInFlight()).isEqualTo(8L << 20);
    assertThat(d.maxQueuedRequests()).isEqualTo(10_000);
    assertThat(d.maxServedRequests()).isEqualTo(64);
    assertThat(d.pingInterval()).isEqualTo(Duration.ofSeconds(20));
    assertThat(d.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(d.handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(d.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(d.reconnectMin()).isEqualTo(Duration.ofSeconds(1));
    assertThat(d.reconnectMax()).isEqualTo(Duration.ofSeconds(60));
    assertThat(d.writeBufferLowBytes()).isEqualTo(1 << 20);
    assertThat(d.writeBufferHighBytes()).isEqualTo(4 << 20);
    assertThat(d.ioThreads()).isEqualTo(2);
    assertThat(d.maxPendingIndexBytes()).isEqualTo(32L << 20);
    assertThat(d.maxHandshakes()).isEqualTo(64);
    assertThat(d.maxHandshakesPerAddress()).isEqualTo(8);
  }

  @Test
  void eachSettingChangesOnlyItselfAndToBuilderKeepsTheRest() {
    NetLimits l = NetLimits.builder()
        .connectTimeout(Duration.ofSeconds(3))
        .ioThreads(4)
        .keepAlive(Duration.ofSeconds(5), Duration.ofSeconds(15))
        .build();
    assertThat(l.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(l.ioThreads()).isEqualTo(4);
    assertThat(l.pingInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(l.idleTimeout()).isEqualTo(Duration.ofSeconds(15));
    assertThat(l.maxHandshakes()).isEqualTo(NetLimits.defaults().maxHandshakes());
    assertThat(l).isNotEqualTo(NetLimits.defaults());

    NetLimits more = l.toBuilder().maxHandshakes(5).build();
    assertThat(more.maxHandshakes()).isEqualTo(5);
    assertThat(more.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(more.toBuilder().build()).isEqualTo(more);
    assertThat(more.toString()).contains("maxHandshakes=5", "connectTimeout=PT3S");
  }

  @Test
  void theWithShorthandsAreTheBuildersSettings() {
    assertThat(NetLimits.defaults().withReconnect(Duration.ofMillis(50), Duration.ofSeconds(2)))
        .isEqualTo(NetLimits.builder().reconnect(Duration.ofMillis(50), Duration.ofSeconds(2)).build());
    assertThat(NetLimits.defaults().withRequests(1 << 20, 10, 4))
        .isEqualTo(NetLimits.builder().maxRequestBytesInFlight(1 << 20).maxQueuedRequests(10).maxServedRequests(4)
            .build());
    assertThat(NetLimits.defaults().withHandshakes(9, 2, Duration.ofSeconds(1)))
        .isEqualTo(NetLimits.builder().maxHandshakes(9).maxHandshakesPerAddress(2)
            .handshakeTimeout(Duration.ofSeconds(1)).build());
    assertThat(NetLimits.defaults().withMaxFrameBytes(65_536).maxFrameBytes()).isEqualTo(65_536);
    assertThat(NetLimits.defaults().withMaxPendingIndexBytes(1234).maxPendingIndexBytes()).isEqualTo(1234);
  }

  @Test
  void buildRefusesLimitsThatCannotWorkTogether() {
    assertThatThrownBy(() -> NetLimits.builder().ioThreads(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ioThreads");
    assertThatThrownBy(() -> NetLimits.builder().connectTimeout(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connectTimeout");
    assertThatThrownBy(() -> NetLimits.builder().keepAlive(Duration.ofSeconds(30), Duration.ofSeconds(30)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idleTimeout");
    assertThatThrownBy(() -> NetLimits.builder().reconnect(Duration.ofSeconds(5), Duration.ofSeconds(1)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reconnectMax");
    assertThatThrownBy(() -> NetLimits.builder().writeBufferLowBytes(2 << 20).writeBufferHighBytes(1 << 20).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("writeBufferHighBytes");
    assertThatThrownBy(() -> NetLimits.builder().maxFrameBytes(10).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NetLimits.builder().pingInterval(null))
        .isInstanceOf(NullPointerException.class);
  }
}
