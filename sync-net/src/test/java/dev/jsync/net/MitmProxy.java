package dev.jsync.net;

import dev.jsync.net.internal.TestCertificates;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A man in the middle: accepts TLS with its own certificate, opens its own TLS connection (with
 * its own certificate again) to the real listener, and relays the decrypted bytes both ways,
 * verbatim. It sees every handshake message in clear and forwards them faithfully; what it cannot
 * do is present the real ends' certificates, for which it lacks the private keys.
 */
final class MitmProxy implements AutoCloseable {

  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel server;
  /** Every connection either way, closed before the event loop stops so that nothing is dropped. */
  private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  final AtomicInteger relayedChunks = new AtomicInteger();

  MitmProxy(InetSocketAddress target) throws Exception {
    TestCertificates mine = TestCertificates.generate();
    SslContext asServer = SslContextBuilder.forServer(mine.key, mine.certificate).sslProvider(SslProvider.JDK)
        .protocols("TLSv1.3").clientAuth(ClientAuth.REQUIRE).trustManager(InsecureTrustManagerFactory.INSTANCE).build();
    SslContext asClient = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).protocols("TLSv1.3")
        .keyManager(mine.key, mine.certificate).trustManager(InsecureTrustManagerFactory.INSTANCE)
        .endpointIdentificationAlgorithm(null).build();
    server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel victim) {
            victim.config().setAutoRead(false);
            connections.add(victim);
            victim.pipeline().addLast(asServer.newHandler(victim.alloc()));
            Channel upstream = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(asClient.newHandler(ch.alloc(), target.getHostString(), target.getPort()));
                    ch.pipeline().addLast(new Relay(victim));
                  }
                })
                .connect(target).addListener(f -> victim.config().setAutoRead(true)).channel();
            connections.add(upstream);
            victim.pipeline().addLast(new Relay(upstream));
          }
        })
        .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
  }

  InetSocketAddress address() {
    return (InetSocketAddress) server.localAddress();
  }

  private final class Relay extends ChannelInboundHandlerAdapter {
    private final Channel other;

    Relay(Channel other) {
      this.other = other;
    }

    /**
     * Relays once the other side's TLS handshake has finished, as the real transport only
     * writes after its own: a write queued in an SslHandler mid-handshake is put back in its
     * pending queue, and if the connection then dies that buffer is never released.
     */
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      relayedChunks.incrementAndGet();
      SslHandler tls = other.pipeline().get(SslHandler.class);
      if (tls == null) {
        ReferenceCountUtil.release(msg);
        return;
      }
      tls.handshakeFuture().addListener(done -> {
        if (done.isSuccess() && other.isActive()) {
          other.writeAndFlush(msg);
        } else {
          ReferenceCountUtil.release(msg);
        }
      });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      other.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    // Closing a connection fails its pending handshake, which releases what waits to be relayed.
    connections.close().awaitUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
