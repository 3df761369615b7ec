package dev.jsync.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetConfigTest {

  @Test
  void toStringNeverShowsTheSecret() {
    String secret = "s3cret-that-must-not-leak";
    NetConfig c = NetConfig.of(Path.of("/state"), secret).withPeers(List.of(new InetSocketAddress("127.0.0.1", 7777)))
        .withDeviceName("laptop");
    assertThat(c.toString()).doesNotContain(secret).contains("secret=(hidden)", "laptop", "/state");
  }
}
