package dev.jsync.net.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The caps on handshakes in progress and the memory of failed authentications, under floods. */
class FloodLimitsTest {

  private static InetAddress v4(int i) throws UnknownHostException {
    return InetAddress.getByAddress(new byte[] {10, (byte) (i >>> 16), (byte) (i >>> 8), (byte) i});
  }

  @Test
  void aGuesserIsNotForgottenWhenAThousandOtherAddressesFailOnce() throws Exception {
    Clock clock = Clock.fixed(Instant.parse("2026-12-07T00:00:00Z"), ZoneOffset.UTC);
    AuthFailureTracker tracker = new AuthFailureTracker(clock);
    InetAddress guesser = InetAddress.getByName("192.0.2.7");
    for (int i = 0; i < 6; i++) {
      tracker.recordFailure(guesser);
    }
    assertThat(tracker.penalty(guesser)).isEqualTo(Duration.ofMillis(AuthFailureTracker.MAX_PENALTY_MILLIS));
    // The guesser (or anyone) fails once from 5,000 other addresses: least-recently-failing
    // eviction would drop the guesser's count after 1,024 of them, and its penalty with it.
    for (int i = 0; i < 5_000; i++) {
      tracker.recordFailure(v4(i));
    }
    assertThat(tracker.size()).isEqualTo(AuthFailureTracker.MAX_ADDRESSES);
    assertThat(tracker.penalty(guesser)).isEqualTo(Duration.ofMillis(AuthFailureTracker.MAX_PENALTY_MILLIS));
    // The one-time failures churn among themselves, newest kept.
    assertThat(tracker.penalty(v4(4_999))).isEqualTo(Duration.ofMillis(AuthFailureTracker.BASE_PENALTY_MILLIS));
    assertThat(tracker.penalty(v4(0))).isZero();
  }

  @Test
  void anIpv6HostCannotEscapeItsPenaltyByPickingAnotherAddressInItsPrefix() throws Exception {
    AuthFailureTracker tracker = new AuthFailureTracker(Clock.systemUTC());
    tracker.recordFailure(InetAddress.getByName("2001:db8:1:2::1"));
    tracker.recordFailure(InetAddress.getByName("2001:db8:1:2:aaaa::9"));
    assertThat(tracker.penalty(InetAddress.getByName("2001:db8:1:2:ffff:1:2:3"))).isEqualTo(Duration.ofMillis(500));
    assertThat(tracker.penalty(InetAddress.getByName("2001:db8:1:3::1"))).isZero();
  }

  @Test
  void handshakeSlotsAreCappedInAllAndPerAddress() throws Exception {
    HandshakeSlots slots = new HandshakeSlots(10, 3);
    InetAddress a = v4(1);
    for (int i = 0; i < 3; i++) {
      assertThat(slots.tryAcquire(a)).isTrue();
    }
    assertThat(slots.tryAcquire(a)).as("a 4th from one address").isFalse();
    // IPv6: one /64 is one address.
    assertThat(slots.tryAcquire(InetAddress.getByName("2001:db8::1"))).isTrue();
    assertThat(slots.tryAcquire(InetAddress.getByName("2001:db8::2"))).isTrue();
    assertThat(slots.tryAcquire(InetAddress.getByName("2001:db8::3"))).isTrue();
    assertThat(slots.tryAcquire(InetAddress.getByName("2001:db8::4"))).isFalse();
    for (int i = 2; i < 6; i++) {
      assertThat(slots.tryAcquire(v4(i))).isTrue();
    }
    assertThat(slots.inUse()).isEqualTo(10);
    assertThat(slots.tryAcquire(v4(100))).as("an 11th in all").isFalse();
    slots.release(a);
    assertThat(slots.tryAcquire(v4(100))).isTrue();
    assertThat(slots.refused()).isEqualTo(3);
  }
}
