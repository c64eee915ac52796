package dev.mqttboot.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

/**
 * The starter's packages depend on each other one way: {@code core} at the bottom; {@code observation}, the client
 * and the listeners above it; the broker beside them; {@code metrics} and {@code actuate} over both; and
 * {@code autoconfigure} on top. The engines know the engine-neutral broker packages, never each other, and the class
 * that reaches into Moquette's internals knows nothing of ours.
 */
class LayeringTests {

	private static final JavaClasses CLASSES = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.mqttboot", "io.moquette.broker");

	@Test
	void layersDependOnlyDownwards() {
		layeredArchitecture().consideringOnlyDependenciesInLayers()
			.layer("core").definedBy("dev.mqttboot.core..")
			.layer("observation").definedBy("dev.mqttboot.observation..")
			.layer("client").definedBy("dev.mqttboot.client..")
			.layer("listener").definedBy("dev.mqttboot.listener..")
			.layer("broker").definedBy("dev.mqttboot.broker..")
			.layer("metrics").definedBy("dev.mqttboot.metrics..")
			.layer("actuate").definedBy("dev.mqttboot.actuate..")
			.layer("test").definedBy("dev.mqttboot.test..")
			.layer("autoconfigure").definedBy("dev.mqttboot.autoconfigure..")
			.whereLayer("autoconfigure").mayNotBeAccessedByAnyLayer()
			.whereLayer("actuate").mayOnlyBeAccessedByLayers("autoconfigure")
			.whereLayer("metrics").mayOnlyBeAccessedByLayers("autoconfigure")
			.whereLayer("listener").mayOnlyBeAccessedByLayers("metrics", "actuate", "autoconfigure")
			.whereLayer("broker").mayOnlyBeAccessedByLayers("metrics", "actuate", "autoconfigure")
			.whereLayer("client").mayOnlyBeAccessedByLayers("listener", "metrics", "actuate", "autoconfigure")
			.whereLayer("observation").mayOnlyBeAccessedByLayers("client", "listener", "metrics", "actuate",
					"autoconfigure")
			.check(CLASSES);
	}

	@Test
	void theEnginesNeverSeeEachOtherAndTheRulesNeverSeeAnEngine() {
		noClasses().that().resideInAPackage("dev.mqttboot.broker.moquette..")
			.should().dependOnClassesThat().resideInAPackage("dev.mqttboot.broker.artemis..")
			.check(CLASSES);
		noClasses().that().resideInAPackage("dev.mqttboot.broker.artemis..")
			.should().dependOnClassesThat().resideInAnyPackage("dev.mqttboot.broker.moquette..", "io.moquette..")
			.check(CLASSES);
		noClasses().that().resideInAnyPackage("dev.mqttboot.broker", "dev.mqttboot.broker.protocol")
			.should().dependOnClassesThat()
			.resideInAnyPackage("dev.mqttboot.broker.moquette..", "dev.mqttboot.broker.artemis..", "io.moquette..",
					"org.apache.activemq..")
			.check(CLASSES);
	}

	@Test
	void theAccessorInsideMoquettesPackageKnowsNothingOfOurs() {
		noClasses().that().resideInAPackage("io.moquette..")
			.should().dependOnClassesThat().resideInAPackage("dev.mqttboot..")
			.check(CLASSES);
	}

}
