package dev.jsync.net.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jsync.core.transport.IndexUpdate;
import dev.jsync.net.NetLimits;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The production pipeline, TLS included, between two nodes over Netty's in-process
 * {@link LocalChannel}: certificates really come from the TLS session, without sockets.
 */
class LocalChannelTest {

  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, LocalIoHandler.newFactory());

  @AfterEach
  void stop() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private Node node(String name, boolean a, byte[] key, SpyHandler events) throws Exception {
    DeviceIdentity identity = EmbeddedPeers.identity(a);
    return new Node(identity, key, new TlsContexts(identity, dev.jsync.net.TlsEngine.JDK), NetLimits.defaults(), events, Clock.systemUTC(),
        group);
  }

  private Channel[] connect(Node dialer, Node listener) {
    LocalAddress address = new LocalAddress("jsync-" + UUID.randomUUID());
    Channel server = new ServerBootstrap().group(group).channel(LocalServerChannel.class)
        .childHandler(new PeerChannelInitializer(listener, Role.LISTENER))
        .bind(address).syncUninterruptibly().channel();
    Channel client = new Bootstrap().group(group).channel(LocalChannel.class)
        .handler(new PeerChannelInitializer(dialer, Role.DIALER))
        .connect(address).syncUninterruptibly().channel();
    return new Channel[] {server, client};
  }

  @Test
  void sameKeyLinksOverRealTls() throws Exception {
    SpyHandler dialerEvents = new SpyHandler("dialer");
    SpyHandler listenerEvents = new SpyHandler("listener");
    Node dialer = node("dialer", true, HandshakeTest.KEY, dialerEvents);
    Node listener = node("listener", false, HandshakeTest.KEY, listenerEvents);
    Channel[] channels = connect(dialer, listener);
    await().atMost(Duration.ofSeconds(10)).until(() ->
        dialerEvents.connected.size() == 1 && listenerEvents.connected.size() == 1);
    assertThat(dialerEvents.connected.get(0).peer()).isEqualTo(listener.identity.id());
    assertThat(listenerEvents.connected.get(0).peer()).isEqualTo(dialer.identity.id());

    dialerEvents.connected.get(0).sendIndex(new IndexUpdate(3, 0, 0, List.of())).toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> listenerEvents.indexes.size() == 1);

    channels[1].close().syncUninterruptibly();
    await().atMost(Duration.ofSeconds(10)).until(() -> listenerEvents.disconnected.size() == 1);
    channels[0].close().syncUninterruptibly();
  }

  @Test
  void otherKeyLinksNothingOverRealTls() throws Exception {
    SpyHandler dialerEvents = new SpyHandler("dialer");
    SpyHandler listenerEvents = new SpyHandler("listener");
    Channel[] channels = connect(node("dialer", true, HandshakeTest.OTHER_KEY, dialerEvents),
        node("listener", false, HandshakeTest.KEY, listenerEvents));
    channels[1].closeFuture().await(10, TimeUnit.SECONDS);
    assertThat(channels[1].isOpen()).isFalse();
    assertThat(dialerEvents.connected).isEmpty();
    assertThat(listenerEvents.connected).isEmpty();
    channels[0].close().syncUninterruptibly();
  }
}
