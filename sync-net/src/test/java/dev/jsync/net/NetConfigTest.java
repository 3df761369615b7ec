package dev.jsync.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetConfigTest {

  private static final String SECRET = "s3cret-that-must-not-leak";

  @Test
  void toStringNeverShowsTheSecret() {
    NetConfig c = NetConfig.of(Path.of("/state"), SECRET).withPeers(List.of(new InetSocketAddress("127.0.0.1", 7777)));
    assertThat(c.toString()).doesNotContain(SECRET).contains("secret=(hidden)", "/state", "127.0.0.1");
    assertThat(NetConfig.builder(Path.of("/state"), SECRET).toString()).doesNotContain(SECRET);
  }

  @Test
  void noPublicMethodGivesTheSecretBack() {
    NetConfig c = NetConfig.of(Path.of("/state"), SECRET);
    for (Method m : NetConfig.class.getMethods()) {
      if (m.getParameterCount() == 0 && m.getReturnType() == String.class && !Modifier.isStatic(m.getModifiers())) {
        Object v;
        try {
          v = m.invoke(c);
        } catch (ReflectiveOperationException e) {
          throw new AssertionError(e);
        }
        assertThat(v).as(m.getName()).isNotEqualTo(SECRET);
      }
    }
    assertThat(Arrays.stream(NetConfig.class.getMethods()).map(Method::getName)).doesNotContain("secret");
  }

  @Test
  void theSecretTakesNoPartInEquality() {
    NetConfig a = NetConfig.of(Path.of("/state"), SECRET);
    NetConfig b = NetConfig.of(Path.of("/state"), SECRET);
    // Compared by identity: two configurations never compare equal because their secrets do.
    assertThat(a).isNotEqualTo(b);
    assertThat(a.hashCode()).isEqualTo(System.identityHashCode(a));
  }

  @Test
  void theBuilderKeepsEverySettingAndTheWithShorthandsAgree() {
    InetSocketAddress listen = new InetSocketAddress("127.0.0.1", 0);
    List<InetSocketAddress> peers = List.of(InetSocketAddress.createUnresolved("desktop", 7777));
    NetConfig built = NetConfig.builder(Path.of("/state"), SECRET).listen(listen).peers(peers)
        .tlsEngine(TlsEngine.JDK).build();
    NetConfig shorthand = NetConfig.of(Path.of("/state"), SECRET).withListen(listen).withPeers(peers)
        .withTlsEngine(TlsEngine.JDK);
    assertThat(built.toString()).isEqualTo(shorthand.toString());
    assertThat(built.peers()).containsExactlyElementsOf(peers);
    assertThat(built.peers().get(0).isUnresolved()).isTrue();
    assertThat(built.toBuilder().build().toString()).isEqualTo(built.toString());
  }

  @Test
  void anEmptySecretIsRefused() {
    assertThatThrownBy(() -> NetConfig.builder(Path.of("/state"), "")).isInstanceOf(IllegalArgumentException.class);
  }
}
