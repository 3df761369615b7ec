package dev.jsync.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassDataTrainingTest {

  @Test
  void listsInJdk17sFormatMergeIntoEachClassOnceInFirstSeenOrder() {
    List<String> a = List.of("# NOTE: Do not modify this file.", "java/lang/Object", "dev/jsync/cli/Main",
        "@lambda-proxy dev/jsync/cli/internal/Cli run ()V", "");
    List<String> b = List.of("java/lang/Object", "io/netty/channel/Channel", "dev/jsync/cli/Main",
        "@lambda-proxy dev/jsync/cli/internal/Cli run ()V");

    assertThat(ClassDataTraining.merge(List.of(a, b))).containsExactly("java/lang/Object", "dev/jsync/cli/Main",
        "@lambda-proxy dev/jsync/cli/internal/Cli run ()V", "io/netty/channel/Channel");
  }

  @Test
  void idsOfNewerJdksAreRenumberedSoNoneRepeatsAcrossProcesses() {
    List<String> a = List.of("java/lang/Object id: 0", "java/util/Collections$EmptyMap id: 308");
    List<String> b = List.of("java/lang/Object id: 0", "java/lang/String id: 308",
        "java/util/Collections$EmptyMap id: 12");

    assertThat(ClassDataTraining.merge(List.of(a, b))).containsExactly("java/lang/Object id: 0",
        "java/util/Collections$EmptyMap id: 1", "java/lang/String id: 2");
  }

  @Test
  void classesOfOtherLoadersWhichNameOthersByIdAreLeftOut() {
    List<String> a = List.of("java/lang/Object id: 0",
        "com/example/Plugin id: 1 super: 0 interfaces: 7 source: /tmp/plugin.jar");

    assertThat(ClassDataTraining.merge(List.of(a))).containsExactly("java/lang/Object id: 0");
  }
}
