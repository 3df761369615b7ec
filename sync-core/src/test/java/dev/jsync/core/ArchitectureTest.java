package dev.jsync.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The shape of sync-core as embedders see it, checked on the compiled classes: which packages
 * are API, that no API signature names an internal type, and that no type depends on its own
 * implementations (a file cycle), unless it is sealed and names its closed set on purpose.
 */
class ArchitectureTest {

  private static final Path CLASSES = Path.of("target", "classes");
  private static final String INTERNAL = "dev.jsync.core.internal";
  /** The only module allowed into the internals: its micro-benchmarks measure them directly. */
  private static final Set<String> INTERNAL_READERS = Set.of("dev.jsync.bench");
  private static final JavaClasses CORE = new ClassFileImporter().importPath(CLASSES);

  @Test
  void everyPackageIsExportedToAllButTheInternalOnesWhichOnlySyncBenchReads() throws IOException {
    ModuleDescriptor module;
    try (InputStream in = Files.newInputStream(CLASSES.resolve("module-info.class"))) {
      module = ModuleDescriptor.read(in);
    }
    Map<String, Set<String>> exports = module.exports().stream()
        .collect(Collectors.toMap(ModuleDescriptor.Exports::source, ModuleDescriptor.Exports::targets));
    // From the classes: the descriptor javac writes need not list the packages it does not export.
    Set<String> packages = CORE.stream().map(JavaClass::getPackageName).filter(p -> !p.isEmpty())
        .collect(Collectors.toCollection(TreeSet::new));
    assertThat(packages).contains("dev.jsync.core", INTERNAL);
    List<String> wrong = new ArrayList<>();
    for (String p : packages) {
      Set<String> targets = exports.get(p);
      if (isInternal(p)) {
        if (targets != null && !INTERNAL_READERS.containsAll(targets)) {
          wrong.add(p + " is internal but exported to " + (targets.isEmpty() ? "every module" : targets));
        }
      } else if (targets == null || !targets.isEmpty()) {
        wrong.add(p + " is API but " + (targets == null ? "not exported" : "exported only to " + targets)
            + " (export it in module-info.java, or move it under " + INTERNAL + ")");
      }
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void theLibraryLogsNoInfoLinesForItsEmbeddersToInherit() {
    // What a user should read is an event (SyncEvent); the application words it, as the CLI's
    // EventLog does. The library logs DEBUG for developers, and WARN for the few things an
    // application should hear of even without a listener.
    List<String> infoCalls = CORE.stream().flatMap(c -> c.getMethodCallsFromSelf().stream())
        .filter(call -> call.getTargetOwner().isEquivalentTo(org.slf4j.Logger.class)
            && call.getName().equals("info"))
        .map(call -> call.getOrigin().getFullName() + " (line " + call.getLineNumber() + ")")
        .toList();
    assertThat(infoCalls).isEmpty();
  }

  @Test
  void noPublicSignatureOfTheApiNamesAnInternalType() {
    List<String> leaks = new ArrayList<>();
    for (JavaClass c : CORE) {
      if (isInternal(c.getPackageName()) || !accessible(c)) {
        continue;
      }
      c.getSuperclass().ifPresent(t -> collectInternal(leaks, c.getName() + " extends", t));
      c.getInterfaces().forEach(t -> collectInternal(leaks, c.getName() + " implements", t));
      for (JavaField f : c.getFields()) {
        if (visible(f.getModifiers())) {
          collectInternal(leaks, f.getFullName(), f.getType());
        }
      }
      for (JavaCodeUnit m : c.getCodeUnits()) {
        if (visible(m.getModifiers())) {
          collectInternal(leaks, m.getFullName(), m.getReturnType());
          m.getParameterTypes().forEach(t -> collectInternal(leaks, m.getFullName(), t));
          m.getThrowsClause().forEach(d -> collectInternal(leaks, m.getFullName() + " throws", d.getRawType()));
        }
      }
    }
    assertThat(leaks).isEmpty();
  }

  @Test
  void theStoreAndTransportInterfacesDoNotReachIntoTheInternals() {
    noClasses().that().resideInAnyPackage("dev.jsync.core.store..", "dev.jsync.core.transport..")
        .should().dependOnClassesThat().resideInAPackage(INTERNAL + "..")
        .check(CORE);
  }

  /**
   * A type whose file uses one of its own implementations in another file makes a cycle of
   * files (an interface with a factory for its implementation, the implementation naming the
   * interface): the factory belongs with the implementation or with the caller. A sealed type
   * is exempt: naming its permitted subtypes is what it is for.
   */
  @Test
  void noTypeDependsOnItsImplementationsInOtherFiles() {
    List<String> cycles = new ArrayList<>();
    for (JavaClass source : CORE) {
      JavaClass file = topLevel(source);
      if (file.reflect().isSealed()) {
        continue;
      }
      for (Dependency d : source.getDirectDependenciesFromSelf()) {
        JavaClass target = d.getTargetClass();
        if (!topLevel(target).equals(file) && !target.equals(file) && target.isAssignableTo(file.getName())) {
          cycles.add(file.getName() + " depends on its implementation " + target.getName() + ": " + d.getDescription());
        }
      }
    }
    assertThat(cycles).isEmpty();
  }

  private static boolean isInternal(String pkg) {
    return pkg.equals(INTERNAL) || pkg.startsWith(INTERNAL + ".");
  }

  /** Whether code outside the package can name {@code c}: it and every class around it are public. */
  private static boolean accessible(JavaClass c) {
    return c.getModifiers().contains(JavaModifier.PUBLIC) && c.getEnclosingClass().map(ArchitectureTest::accessible).orElse(true);
  }

  private static boolean visible(Set<JavaModifier> modifiers) {
    return modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED);
  }

  private static void collectInternal(List<String> leaks, String where, JavaType type) {
    for (JavaClass raw : type.getAllInvolvedRawTypes()) {
      if (isInternal(raw.getPackageName())) {
        leaks.add(where + " names " + raw.getName());
      }
    }
  }

  private static JavaClass topLevel(JavaClass c) {
    JavaClass t = c;
    while (t.getEnclosingClass().isPresent()) {
      t = t.getEnclosingClass().get();
    }
    return t;
  }
}
