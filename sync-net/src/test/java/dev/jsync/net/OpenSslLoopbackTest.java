package dev.jsync.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jsync.core.Sha256;
import dev.jsync.core.RelativePath;
import dev.jsync.core.transport.BlockReply;
import dev.jsync.core.transport.BlockRequest;
import io.netty.handler.ssl.OpenSsl;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every loopback test again with OpenSSL (BoringSSL, through netty-tcnative) as the TLS engine,
 * and the two engines talking to each other: the proofs bind to the session's certificates the
 * same way whichever engine carries it.
 */
class OpenSslLoopbackTest extends NettyTransportLoopbackTest {

  @BeforeAll
  static void openSslIsHere() {
    // The test class path has netty-tcnative for Linux on x86-64 and ARM64: anywhere else this
    // says so, rather than quietly testing the JDK's engine twice.
    assertThat(OpenSsl.isAvailable()).as("netty-tcnative loads: %s", OpenSsl.unavailabilityCause()).isTrue();
    assertThat(io.netty.handler.ssl.SslProvider.isTlsv13Supported(io.netty.handler.ssl.SslProvider.OPENSSL)).isTrue();
  }

  @Override
  TlsEngine engine() {
    return TlsEngine.OPENSSL;
  }

  @Test
  void aJdkNodeAndAnOpenSslNodeAuthenticateEachOtherAndExchangeBlocks() throws Exception {
    RecordingHandler bEvents = new RecordingHandler("b");
    NettyTransport b = start(config(dir.resolve("b"), "b", TestNodes.SECRET), bEvents);
    RecordingHandler aEvents = new RecordingHandler("a");
    NettyTransport a = start(TestNodes.config(dir.resolve("a"), "a", TestNodes.SECRET, b.localAddress())
        .withTlsEngine(TlsEngine.JDK), aEvents);

    await().atMost(Duration.ofSeconds(10)).until(() -> aEvents.upLinks() == 1 && bEvents.upLinks() == 1);
    assertThat(aEvents.lastLink().peer()).isEqualTo(b.deviceId());
    assertThat(bEvents.lastLink().peer()).isEqualTo(a.deviceId());
    byte[] content = "across engines".getBytes();
    Sha256 hash = Sha256.of(content);
    aEvents.responder = (request, reply) -> reply.accept(BlockReply.data(content));
    BlockReply reply = bEvents.lastLink().requestBlock(new BlockRequest(RelativePath.of("x.md"), 0, content.length, hash))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(((BlockReply.Data) reply).bytes()).isEqualTo(content);
  }

  @Test
  void autoPicksOpenSslWhenItIsThere() throws Exception {
    NettyTransport auto = start(TestNodes.config(dir.resolve("c"), "c", TestNodes.SECRET)
        .withTlsEngine(TlsEngine.AUTO), new RecordingHandler("c"));
    assertThat(auto.tlsEngine()).isEqualTo(TlsEngine.OPENSSL);
    NettyTransport jdk = start(TestNodes.config(dir.resolve("d"), "d", TestNodes.SECRET)
        .withTlsEngine(TlsEngine.JDK), new RecordingHandler("d"));
    assertThat(jdk.tlsEngine()).isEqualTo(TlsEngine.JDK);
  }
}
