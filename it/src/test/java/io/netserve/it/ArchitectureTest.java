package io.netserve.it;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The rules that keep netserve's public API small and its internals internal, checked over the
 * classes of every published module. Each rule is also shown failing on a deliberate violation
 * (the classes under {@code io.netserve.it.fixtures}), so none of them can pass by accident.
 */
class ArchitectureTest {

    /** The most public types core may have outside {@code internal}. */
    static final int MAX_PUBLIC_API_TYPES = 20;

    private static final String INTERNAL = "io.netserve.core.internal..";

    /** Outside core, only netserve's test kit (released with core) may use core's internals. */
    static final ArchRule ONLY_CORE_AND_THE_KIT_USE_INTERNAL = noClasses()
            .that().resideOutsideOfPackages("io.netserve.core..", "io.netserve.test..")
            .should().dependOnClassesThat().resideInAPackage(INTERNAL)
            .as("no module outside core (and its test kit) uses io.netserve.core.internal");

    /** No public type of core's API shows an internal type in what it promises. */
    static final ArchRule API_SIGNATURES_HAVE_NO_INTERNAL_TYPES = classes()
            .that().resideInAPackage("io.netserve.core..").and().resideOutsideOfPackage(INTERNAL)
            .and().arePublic()
            .should(exposeNoInternalType())
            .as("public API types of core expose no internal type in their public signatures");

    /** Packages form no cycle. */
    static final ArchRule NO_PACKAGE_CYCLES = slices().matching("io.netserve.(**)").should().beFreeOfCycles();

    private static JavaClasses netserve;

    @BeforeAll
    static void importEveryModule() {
        netserve = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("/io/netserve/it/"))
                .importPackages("io.netserve");
    }

    @Test
    void everyPublishedModuleIsImported() {
        Set<String> roots = netserve.stream().map(c -> c.getPackageName().split("\\.")[2]).collect(Collectors.toSet());

        assertThat(roots).contains("core", "test", "cli", "echo", "samples");
    }

    @Test
    void onlyCoreAndTheKitUseInternal() {
        ONLY_CORE_AND_THE_KIT_USE_INTERNAL.check(netserve);
    }

    @Test
    void apiSignaturesHaveNoInternalTypes() {
        API_SIGNATURES_HAVE_NO_INTERNAL_TYPES.check(netserve);
    }

    @Test
    void packagesFormNoCycle() {
        NO_PACKAGE_CYCLES.check(netserve);
    }

    @Test
    void coreHasAtMostTwentyPublicTypesOutsideInternal() {
        List<String> api = publicApiTypes(netserve);

        assertThat(api).as("core's public types outside internal").hasSizeLessThanOrEqualTo(MAX_PUBLIC_API_TYPES);
    }

    @Test
    void internalPackagesSayTheyAreNotApi() {
        List<JavaClass> infos = netserve.stream()
                .filter(c -> c.getPackageName().startsWith("io.netserve.core.internal") && c.getSimpleName().equals("package-info"))
                .toList();

        assertThat(infos).isNotEmpty();
    }

    @Test
    void eachRuleFailsOnADeliberateViolation() {
        JavaClasses fixtures = new ClassFileImporter().importPackages("io.netserve.it.fixtures", "io.netserve.core");

        assertThatThrownBy(() -> ONLY_CORE_AND_THE_KIT_USE_INTERNAL.check(fixtures))
                .isInstanceOf(AssertionError.class).hasMessageContaining("UsesInternal");
        assertThatThrownBy(() -> NO_PACKAGE_CYCLES.check(fixtures))
                .isInstanceOf(AssertionError.class).hasMessageContaining("fixtures.cycle");
        JavaClasses leakyApi = new ClassFileImporter().importClasses(io.netserve.it.fixtures.LeakyApiShape.class);
        assertThatThrownBy(() -> classes().should(exposeNoInternalType()).check(leakyApi))
                .isInstanceOf(AssertionError.class).hasMessageContaining("ServerContext");
    }

    /** The public types of core outside internal, nested ones included: what users may depend on. */
    static List<String> publicApiTypes(JavaClasses classes) {
        return classes.stream()
                .filter(c -> c.getPackageName().startsWith("io.netserve.core"))
                .filter(c -> !c.getPackageName().startsWith("io.netserve.core.internal"))
                .filter(c -> c.getModifiers().contains(JavaModifier.PUBLIC))
                .filter(c -> !c.isAnonymousClass() && !c.getSimpleName().equals("package-info"))
                .map(JavaClass::getName).sorted().toList();
    }

    /** A public type whose superclass, interfaces, or public and protected members name no internal type. */
    static ArchCondition<JavaClass> exposeNoInternalType() {
        DescribedPredicate<JavaClass> internal = DescribedPredicate.describe("internal",
                c -> c.getPackageName().startsWith("io.netserve.core.internal"));
        return new ArchCondition<>("expose no internal type") {
            @Override
            public void check(JavaClass type, ConditionEvents events) {
                List<String> leaks = new ArrayList<>();
                type.getRawSuperclass().filter(internal).ifPresent(s -> leaks.add("extends " + s.getName()));
                type.getRawInterfaces().stream().filter(internal).forEach(i -> leaks.add("implements " + i.getName()));
                for (JavaCodeUnit unit : type.getCodeUnits()) {
                    if (!visible(unit.getModifiers())) {
                        continue;
                    }
                    unit.getRawParameterTypes().stream().filter(internal)
                            .forEach(p -> leaks.add(unit.getFullName() + " takes " + p.getName()));
                    if (internal.test(unit.getRawReturnType())) {
                        leaks.add(unit.getFullName() + " returns " + unit.getRawReturnType().getName());
                    }
                    unit.getThrowsClause().getTypes().stream().filter(internal)
                            .forEach(t -> leaks.add(unit.getFullName() + " throws " + t.getName()));
                }
                for (JavaField field : type.getFields()) {
                    if (visible(field.getModifiers()) && internal.test(field.getRawType())) {
                        leaks.add(field.getFullName() + " is a " + field.getRawType().getName());
                    }
                }
                leaks.forEach(l -> events.add(SimpleConditionEvent.violated(type, type.getName() + ": " + l)));
            }
        };
    }

    private static boolean visible(Set<JavaModifier> modifiers) {
        return modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED);
    }
}
