package dev.jsync.net.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jsync.core.DeviceId;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.core.transport.BlockError;
import dev.jsync.core.transport.BlockReply;
import dev.jsync.core.transport.BlockRequest;
import dev.jsync.core.transport.LinkClosedException;
import dev.jsync.protocol.BlockRequestMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The small parts with no network: back-off, failure tracking, the survivor rule, pending requests, identity, key. */
class UnitsTest {

  @TempDir
  Path dir;

  @Test
  void backoffDoublesWithJitterBetweenItsBounds() {
    Backoff low = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 0.0);
    Backoff high = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 0.999999);
    List<Long> lows = new ArrayList<>();
    List<Long> highs = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      lows.add(low.next().toMillis());
      highs.add(high.next().toMillis());
    }
    assertThat(lows).containsExactly(1000L, 1000L, 2000L, 4000L, 8000L, 16000L, 30000L, 30000L, 30000L, 30000L);
    assertThat(highs).startsWith(1000L, 1999L, 3999L).endsWith(59999L);
    high.reset();
    assertThat(high.next()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void repeatedAuthenticationFailuresFromOneAddressCostMoreAndFade() throws Exception {
    Instant[] now = {Instant.parse("2026-01-01T00:00:00Z")};
    Clock clock = new Clock() {
      @Override
      public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now[0];
      }
    };
    AuthFailureTracker tracker = new AuthFailureTracker(clock);
    InetAddress guesser = InetAddress.getByName("192.0.2.1");
    InetAddress other = InetAddress.getByName("192.0.2.2");
    assertThat(tracker.penalty(guesser)).isZero();
    assertThat(tracker.recordFailure(guesser)).isEqualTo(1);
    assertThat(tracker.penalty(guesser)).isEqualTo(Duration.ofMillis(250));
    tracker.recordFailure(guesser);
    tracker.recordFailure(guesser);
    assertThat(tracker.penalty(guesser)).isEqualTo(Duration.ofSeconds(1));
    for (int i = 0; i < 20; i++) {
      tracker.recordFailure(guesser);
    }
    assertThat(tracker.penalty(guesser)).isEqualTo(Duration.ofSeconds(5));
    assertThat(tracker.penalty(other)).isZero();
    now[0] = now[0].plus(Duration.ofMinutes(11));
    assertThat(tracker.penalty(guesser)).isZero();
    tracker.recordFailure(other);
    tracker.recordSuccess(other);
    assertThat(tracker.penalty(other)).isZero();
  }

  @Test
  void theConnectionDialedByTheSmallerDeviceSurvives() {
    DeviceId small = DeviceId.of(new byte[32]);
    byte[] big = new byte[32];
    big[0] = 1;
    DeviceId large = DeviceId.of(big);
    assertThat(ConnectionRegistry.prefers(small, 1, large, 2)).isTrue();
    assertThat(ConnectionRegistry.prefers(large, 2, small, 1)).isFalse();
    // Dialed by the same device: the newer one.
    assertThat(ConnectionRegistry.prefers(large, 5, large, 3)).isTrue();
    assertThat(ConnectionRegistry.prefers(large, 3, large, 5)).isFalse();
  }

  @Test
  void pendingRequestsRespectTheByteBoundAndTheQueueBound() {
    List<BlockRequestMessage> sent = new ArrayList<>();
    PendingRequests pending = new PendingRequests(250, 2, sent::add, () -> { });
    List<CompletableFuture<BlockReply>> f = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      f.add(new CompletableFuture<>());
      pending.submit(new BlockRequest(RelativePath.of("f"), i, 100, Sha256.EMPTY), f.get(i));
    }
    assertThat(sent).hasSize(2);
    assertThat(pending.bytesInFlight()).isEqualTo(200);
    assertThat(pending.waiting()).isEqualTo(2);
    assertThat(f.get(4).join()).isInstanceOfSatisfying(BlockReply.Failure.class,
        x -> assertThat(x.error()).isEqualTo(BlockError.BUSY));
    assertThat(pending.complete(sent.get(0).requestId(), BlockReply.data(new byte[1]))).isTrue();
    assertThat(pending.complete(sent.get(0).requestId(), BlockReply.data(new byte[1]))).isFalse();
    assertThat(sent).hasSize(3);
    pending.closeAll(new LinkClosedException("gone"));
    assertThat(f.subList(1, 4)).allMatch(CompletableFuture::isCompletedExceptionally);
    CompletableFuture<BlockReply> late = new CompletableFuture<>();
    pending.submit(new BlockRequest(RelativePath.of("f"), 0, 1, Sha256.EMPTY), late);
    assertThat(late).isCompletedExceptionally();
  }

  @Test
  void deviceIdentityIsCreatedOnceAndReused() throws IOException {
    Path state = dir.resolve("state");
    DeviceIdentity first = DeviceIdentity.loadOrCreate(state, Clock.systemUTC());
    DeviceIdentity again = DeviceIdentity.loadOrCreate(state, Clock.systemUTC());
    assertThat(again.id()).isEqualTo(first.id());
    assertThat(first.id()).isEqualTo(DeviceId.fromCertificate(first.certificateDer()));
    assertThat(first.certificate().getPublicKey().getAlgorithm()).isEqualTo("EC");
    assertThat(DeviceIdentity.loadOrCreate(dir.resolve("other"), Clock.systemUTC()).id()).isNotEqualTo(first.id());
    if (Files.getFileAttributeView(state, java.nio.file.attribute.PosixFileAttributeView.class) != null) {
      assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
          Files.getPosixFilePermissions(state.resolve(DeviceIdentity.FILE_NAME)))).isEqualTo("rw-------");
    }
  }

  @Test
  void aNewCertificateIsASelfSignedP256EcdsaCertificateValidFromADayAgoForever() throws Exception {
    java.time.Instant now = java.time.Instant.parse("2026-11-24T12:00:00Z");
    SelfSignedCertificates.KeyAndCertificate made = SelfSignedCertificates.generate(now, new java.security.SecureRandom());
    java.security.cert.X509Certificate c = made.certificate();
    c.verify(made.keys().getPublic()); // self-signed with the device's own key
    assertThat(c.getSigAlgName()).isEqualTo("SHA256withECDSA");
    assertThat(c.getSigAlgParams()).isNull();
    assertThat(c.getVersion()).isEqualTo(3);
    assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=jsync");
    assertThat(c.getIssuerX500Principal()).isEqualTo(c.getSubjectX500Principal());
    assertThat(c.getPublicKey()).isEqualTo(made.keys().getPublic());
    assertThat(((java.security.interfaces.ECPublicKey) c.getPublicKey()).getParams().getCurve().getField().getFieldSize())
        .isEqualTo(256);
    assertThat(c.getNotBefore().toInstant()).isEqualTo(now.minus(Duration.ofDays(1)));
    assertThat(c.getNotAfter().toInstant()).isEqualTo(java.time.Instant.parse("9999-12-31T23:59:59Z"));
    assertThat(c.getSerialNumber().signum()).isPositive();
    c.checkValidity(java.util.Date.from(now));
  }

  @Test
  void aDamagedIdentityIsAnErrorNotANewDevice() throws IOException {
    Path state = dir.resolve("state");
    Files.createDirectories(state);
    Files.write(state.resolve(DeviceIdentity.FILE_NAME), new byte[] {1, 2, 3});
    assertThatThrownBy(() -> DeviceIdentity.loadOrCreate(state, Clock.systemUTC())).isInstanceOf(IOException.class);
  }

  @Test
  void thePakePasswordDependsOnlyOnTheNormalisedSecret() {
    byte[] k1 = SecretKeys.derive("unit test secret");
    byte[] k2 = SecretKeys.derive("unit test secret");
    assertThat(k2).isEqualTo(k1).hasSize(32);
    // NFC: a precomposed and a decomposed "é" are the same secret.
    assertThat(SecretKeys.derive("caf\u00e9")).isEqualTo(SecretKeys.derive("cafe\u0301"));
    assertThat(SecretKeys.derive("unit test secret!")).isNotEqualTo(k1);
  }
}
