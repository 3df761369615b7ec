package dev.jsync.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Proves Netty 4.2 runs here: an echo over real TCP on 127.0.0.1 with an ephemeral port. */
class LoopbackWiringTest {

  @Test
  void echoesOverLoopback() throws Exception {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      Channel server = new ServerBootstrap()
          .group(group)
          .channel(NioServerSocketChannel.class)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              ch.pipeline().addLast(new SimpleChannelInboundHandler<ByteBuf>() {
                @Override
                protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                  ctx.writeAndFlush(msg.retain());
                }
              });
            }
          })
          .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
      CompletableFuture<String> echoed = new CompletableFuture<>();
      Channel client = new Bootstrap()
          .group(group)
          .channel(NioSocketChannel.class)
          .handler(new SimpleChannelInboundHandler<ByteBuf>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
              echoed.complete(msg.toString(StandardCharsets.UTF_8));
            }
          })
          .connect(server.localAddress()).sync().channel();
      client.writeAndFlush(Unpooled.copiedBuffer("hello", StandardCharsets.UTF_8));
      assertThat(echoed.get(10, TimeUnit.SECONDS)).isEqualTo("hello");
      client.close().sync();
      server.close().sync();
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }
}
