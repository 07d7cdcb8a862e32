package dev.workcell.controlplane.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class PackageCyclesTest {

    private static final JavaClasses CONTROL_PLANE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.workcell.controlplane");

    @Test
    void noPackageOfTheControlPlaneDependsOnItselfThroughAnother() {
        slices().matching("dev.workcell.controlplane.(*)..")
                .should()
                .beFreeOfCycles()
                .check(CONTROL_PLANE);
    }
}
