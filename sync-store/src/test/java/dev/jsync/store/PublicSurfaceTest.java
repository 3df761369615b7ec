package dev.jsync.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * sync-store's public surface is its store: every other class is package-private, so that
 * nothing outside can come to depend on the disk format, the key layout or the native options.
 */
class PublicSurfaceTest {

  @Test
  void theOnlyPublicTypeIsTheStoreInTheModulesOnePackage() {
    List<JavaClass> classes = List.copyOf(new ClassFileImporter().importPath(Path.of("target", "classes")));
    assertThat(classes).extracting(JavaClass::getPackageName).containsOnly("dev.jsync.store");
    assertThat(classes)
        .filteredOn(c -> c.getModifiers().contains(JavaModifier.PUBLIC))
        .extracting(JavaClass::getName)
        .containsExactly(RocksDbIndexStore.class.getName());
  }
}
