package dev.jsync.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TargetsTest {

  @Test
  void hostAndPort() {
    assertThat(Targets.parse("laptop:7000")).isEqualTo(InetSocketAddress.createUnresolved("laptop", 7000));
    assertThat(Targets.parse("100.64.0.7:7777")).isEqualTo(InetSocketAddress.createUnresolved("100.64.0.7", 7777));
  }

  @Test
  void aBareHostMeansPort7777() {
    assertThat(Targets.parse("pi.tailnet-1234.ts.net")).isEqualTo(
        InetSocketAddress.createUnresolved("pi.tailnet-1234.ts.net", 7777));
  }

  @Test
  void ipv6InBracketsWithOrWithoutPort() {
    assertThat(Targets.parse("[fd7a:115c:a1e0::1]:9000")).isEqualTo(
        InetSocketAddress.createUnresolved("fd7a:115c:a1e0::1", 9000));
    assertThat(Targets.parse("[::1]")).isEqualTo(InetSocketAddress.createUnresolved("::1", 7777));
  }

  @Test
  void aBareIpv6AddressCannotCarryAPortSoItMeans7777() {
    assertThat(Targets.parse("fd7a:115c:a1e0::1")).isEqualTo(
        InetSocketAddress.createUnresolved("fd7a:115c:a1e0::1", 7777));
  }

  @Test
  void namesStayUnresolvedForTheTransportToResolveAtEachDial() {
    assertThat(Targets.parse("localhost:1").isUnresolved()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"host:", ":7777", "host:port", "host:0", "host:65536", "[::1", "[::1]x", "[host]:1",
      "two words:1", "", "user@host:1", "http://host:1", "bad:host:99999", "host:99999", "host:-1", "host:+1",
      "[::1]:", "[::1]:70000", "999.1.1.1", "host::", "[]:7777"})
  void malformedTargetsAreRefusedWithAHint(String text) {
    assertThatThrownBy(() -> Targets.parse(text))
        .isInstanceOf(BadInvocation.class)
        .hasMessageContaining("target '" + text + "' is malformed")
        .hasMessageContaining("HOST:PORT")
        .satisfies(e -> assertThat(((BadInvocation) e).exitCode()).isEqualTo(ExitCodes.USAGE));
  }

  @Test
  void hostNamesAsDnsWritesThem() {
    assertThat(Targets.isHostName("laptop")).isTrue();
    assertThat(Targets.isHostName("pi.tailnet-1234.ts.net.")).isTrue();
    assertThat(Targets.isHostName("my_box-2")).isTrue();
    assertThat(Targets.isHostName("-laptop")).isFalse();
    assertThat(Targets.isHostName("a..b")).isFalse();
    assertThat(Targets.isHostName("x".repeat(64))).isFalse();
    assertThat(Targets.isHostName("1.2.3.999")).isFalse();
  }

  @Test
  void theReasonIsNamed() {
    assertThatThrownBy(() -> Targets.parse("bad:host:99999")).hasMessage("target 'bad:host:99999' is malformed"
        + " ('bad:host:99999' has several colons but is not an IPv6 address; an IPv6 address with a port is written"
        + " [ADDRESS]:PORT): write HOST:PORT, [IPv6]:PORT, or just HOST for port 7777, e.g. -t laptop:7777");
    assertThatThrownBy(() -> Targets.parse("laptop:99999")).hasMessageContaining("(port 99999 is not between 1 and 65535)");
    assertThatThrownBy(() -> Targets.parse(":7777")).hasMessageContaining("(the host is missing)");
    assertThatThrownBy(() -> Targets.parse("laptop:seven")).hasMessageContaining("('seven' is not a port number)");
  }

  @Test
  void formatWritesIpv6InBrackets() {
    assertThat(Targets.format(InetSocketAddress.createUnresolved("::1", 5))).isEqualTo("[::1]:5");
    assertThat(Targets.format(InetSocketAddress.createUnresolved("a", 5))).isEqualTo("a:5");
    assertThat(Targets.formatListen(new InetSocketAddress(7777))).isEqualTo("*:7777");
    assertThat(Targets.formatListen(new InetSocketAddress("127.0.0.1", 5))).isEqualTo("127.0.0.1:5");
  }
}
