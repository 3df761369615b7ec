package dev.jsync.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.VersionVector;
import dev.jsync.core.transport.IndexUpdate;
import dev.jsync.net.internal.TestCertificates;
import dev.jsync.protocol.FrameFormat;
import dev.jsync.protocol.Protocol;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stranger floods a real node over loopback: many connections that never start TLS, TLS
 * connections with certificates of their own that send the largest frame before authenticating,
 * and garbage. The node refuses what exceeds its caps at accept, drops each oversize frame from
 * its length prefix, keeps its heap bounded, and a peer that knows the secret still links up and
 * syncs. The strangers bind addresses of 127.0.0.0/8 other than 127.0.0.1 (all loopback on
 * Linux), so that per-address caps apply to them and not to the legitimate peer.
 */
class StrangerFloodTest {

  private static final int MAX_HANDSHAKES = 16;
  private static final int PER_ADDRESS = 4;
  private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(3);

  @TempDir
  Path dir;

  private final Closer closer = new Closer();
  private final List<Socket> strangers = new ArrayList<>();

  @AfterEach
  void closeAll() throws IOException {
    for (Socket s : strangers) {
      s.close();
    }
    closer.close();
  }

  private NetConfig config(String name, InetSocketAddress... peers) {
    return TestNodes.config(dir.resolve(name), name, TestNodes.SECRET, peers)
        .withLimits(TestNodes.fastLimits().withHandshakes(MAX_HANDSHAKES, PER_ADDRESS, HANDSHAKE_TIMEOUT));
  }

  private Socket stranger(int address, InetSocketAddress node) throws IOException {
    Socket s = new Socket();
    strangers.add(s);
    s.bind(new InetSocketAddress("127.0.0." + address, 0));
    s.connect(node, 2_000);
    return s;
  }

  /** Whether the node closed {@code s} within {@code millis} (end of stream or reset). */
  private static boolean closedByNode(Socket s, int millis) {
    try {
      s.setSoTimeout(millis);
      InputStream in = s.getInputStream();
      while (true) {
        if (in.read() < 0) {
          return true;
        }
      }
    } catch (java.net.SocketTimeoutException stillOpen) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  @Test
  void aStrangersFloodLeavesTheNodeUpWithBoundedHeapAndSyncing() throws Exception {
    try (LogCapture log = new LogCapture()) {
      RecordingHandler victimEvents = new RecordingHandler("victim");
      NettyTransport victim = closer.add(new NettyTransport(config("victim")));
      victim.start(victimEvents);
      InetSocketAddress at = victim.localAddress();
      HeapSampler heap = closer.add(new HeapSampler());

      // 1. Idle connections from 10 addresses, 4 each: 40 TCP connections that never say a word.
      List<Socket> idle = new ArrayList<>();
      for (int a = 2; a < 12; a++) {
        for (int i = 0; i < PER_ADDRESS; i++) {
          idle.add(stranger(a, at));
        }
      }
      // A 5th from an address already holding 4 is refused at once.
      Socket fifth = stranger(2, at);
      assertThat(closedByNode(fifth, 1_000)).as("a 5th connection from one address").isTrue();
      List<Socket> kept = new ArrayList<>();
      for (Socket s : idle) {
        if (!closedByNode(s, 50)) {
          kept.add(s);
        }
      }
      assertThat(kept).as("idle connections within the global cap (the rest closed at accept)")
          .hasSize(MAX_HANDSHAKES);

      // 2. The legitimate peer dials while the slots are taken: refused at first, it gets in
      // once the handshake timeout closed the idle strangers and freed their slots.
      RecordingHandler peerEvents = new RecordingHandler("peer");
      NettyTransport peer = closer.add(new NettyTransport(config("peer", at)));
      peer.start(peerEvents);
      for (Socket s : kept) {
        assertThat(closedByNode(s, (int) HANDSHAKE_TIMEOUT.toMillis() + 3_000)).as("closed by the handshake timeout")
            .isTrue();
      }

      // 3. Meanwhile, TLS strangers with their own certificates each send a 16 MiB frame of empty
      // inline blocks before authenticating, and others send garbage.
      byte[] payload = emptyInlineBlocks(Protocol.DEFAULT_MAX_FRAME_BYTES);
      byte[] frame = FrameFormat.frame(payload, Protocol.DEFAULT_MAX_FRAME_BYTES);
      SSLContext tls = strangerTls();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<Long>> sent = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          int address = 20 + i;
          sent.add(pool.submit(() -> sendBeforeAuthenticating(tls, address, at, frame)));
        }
        List<Future<Boolean>> garbage = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          int address = 30 + i;
          garbage.add(pool.submit(() -> {
            Socket s = stranger(address, at);
            byte[] noise = new byte[64 * 1024];
            new SecureRandom().nextBytes(noise);
            try {
              s.getOutputStream().write(noise);
            } catch (IOException closed) {
              return true;
            }
            return closedByNode(s, 10_000);
          }));
        }
        for (Future<Long> f : sent) {
          long bytes = f.get(60, TimeUnit.SECONDS);
          assertThat(bytes).as("bytes of the 16 MiB frame written before the node closed the connection")
              .isLessThan(frame.length);
        }
        for (Future<Boolean> f : garbage) {
          assertThat(f.get(60, TimeUnit.SECONDS)).as("garbage closes the connection").isTrue();
        }
      } finally {
        pool.shutdownNow();
      }

      // 4. The peer links up and syncs.
      await().atMost(Duration.ofSeconds(20)).until(() -> peerEvents.upLinks() == 1 && victimEvents.upLinks() == 1);
      FileRecord dir = FileRecord.directory(RelativePath.of("notes"), 1, VersionVector.empty().increment(peer.deviceId()),
          peer.deviceId()).withSequence(1);
      peerEvents.lastLink().sendIndex(new IndexUpdate(7, 0, 1, List.of(dir))).toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
      assertThat(victimEvents.nextIndex()).isEqualTo(new IndexUpdate(7, 0, 1, List.of(dir)));

      // 5. The node's heap never grew by more than a few frames' worth, and nothing ran out.
      assertThat(heap.maxGrowthBytes()).as("heap growth during the flood").isLessThan(256L << 20);
      assertThat(log.matching("OutOfMemoryError")).isEmpty();
      assertThat(log.matching("refusing connections")).isNotEmpty();
    }
  }

  /**
   * Completes TLS with a fresh self-signed certificate, then writes {@code frame} as an attacker
   * would; returns how many bytes went out before the node closed the connection.
   */
  private long sendBeforeAuthenticating(SSLContext tls, int address, InetSocketAddress node, byte[] frame)
      throws IOException {
    Socket raw = stranger(address, node);
    SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(raw, node.getHostString(), node.getPort(), true);
    s.setEnabledProtocols(new String[] {"TLSv1.3"});
    s.setSoTimeout(10_000);
    s.startHandshake();
    OutputStream out = s.getOutputStream();
    long written = 0;
    try {
      while (written < frame.length) {
        int n = (int) Math.min(64 * 1024, frame.length - written);
        out.write(frame, (int) written, n);
        written += n;
      }
      out.flush();
      // Everything went out: the node took the whole frame. It must at least close now.
      s.getInputStream().read();
    } catch (IOException closedByNode) {
      // Expected: the node closed after the length prefix.
    } finally {
      s.close();
    }
    return written;
  }

  /** A TLS client context with a certificate nobody trusts, that trusts anyone. */
  private static SSLContext strangerTls() throws Exception {
    TestCertificates mine = TestCertificates.generate();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("me", mine.key, new char[0], new Certificate[] {mine.certificate});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, new char[0]);
    TrustManager anyone = new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {
      }

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {
      }

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    };
    SSLContext tls = SSLContext.getInstance("TLSv1.3");
    tls.init(kmf.getKeyManagers(), new TrustManager[] {anyone}, new SecureRandom());
    return tls;
  }

  /** The payload of an index update holding nothing but empty inline blocks, 2 bytes each. */
  static byte[] emptyInlineBlocks(int payloadBytes) {
    int n = (payloadBytes - 5) / 2;
    byte[] prefix = FrameFormat.prefix(2 * n);
    byte[] out = new byte[1 + prefix.length + 2 * n];
    out[0] = (byte) ((4 << 3) | 2); // Envelope.index_update
    System.arraycopy(prefix, 0, out, 1, prefix.length);
    for (int i = 1 + prefix.length; i < out.length; i += 2) {
      out[i] = (byte) ((5 << 3) | 2); // IndexUpdate.inline, length 0
    }
    return out;
  }

  /**
   * Samples, every 20 ms, the heap the last garbage collection left in use (live data, not
   * garbage waiting to be collected); reports the largest growth over the start.
   */
  private static final class HeapSampler implements AutoCloseable {
    private final List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP && p.getCollectionUsage() != null).toList();
    private final AtomicLong max = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final long baseline;
    private final Thread thread;

    HeapSampler() {
      System.gc();
      baseline = liveAfterLastGc();
      thread = new Thread(() -> {
        while (running.get()) {
          max.accumulateAndGet(liveAfterLastGc(), Math::max);
          try {
            Thread.sleep(20);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "heap-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    private long liveAfterLastGc() {
      long used = 0;
      for (MemoryPoolMXBean p : pools) {
        used += p.getCollectionUsage().getUsed();
      }
      return used;
    }

    long maxGrowthBytes() {
      System.gc();
      max.accumulateAndGet(liveAfterLastGc(), Math::max);
      return Math.max(0, max.get() - baseline);
    }

    @Override
    public void close() {
      running.set(false);
      thread.interrupt();
    }
  }
}
