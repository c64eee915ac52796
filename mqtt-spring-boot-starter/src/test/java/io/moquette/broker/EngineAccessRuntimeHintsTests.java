package io.moquette.broker;

import java.util.List;

import dev.mqttboot.autoconfigure.MqttBrokerAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.context.annotation.ImportRuntimeHints;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reflection hints for an AOT build cover every Moquette field that {@link EngineAccess} reaches, each of which
 * exists in the Moquette on the class path, and the broker auto-configuration brings them in.
 */
class EngineAccessRuntimeHintsTests {

	@Test
	void everyFieldEngineAccessReachesHasAHintAndExists() throws Exception {
		RuntimeHints hints = new RuntimeHints();
		new EngineAccessRuntimeHints().registerHints(hints, getClass().getClassLoader());
		int fields = 0;
		for (var entry : EngineAccessRuntimeHints.FIELDS.entrySet()) {
			for (String field : entry.getValue()) {
				assertThat(entry.getKey().getDeclaredField(field)).isNotNull();
				assertThat(RuntimeHintsPredicates.reflection().onField(entry.getKey(), field)).accepts(hints);
				fields++;
			}
		}
		assertThat(fields).isEqualTo(18);
	}

	@Test
	void theBrokerAutoConfigurationImportsTheHints() {
		ImportRuntimeHints imported = moquetteEngineConfiguration().getAnnotation(ImportRuntimeHints.class);
		assertThat(List.of(imported.value())).contains(EngineAccessRuntimeHints.class);
	}

	/** The part of the broker auto-configuration that runs the Moquette engine. */
	private static Class<?> moquetteEngineConfiguration() {
		try {
			return Class.forName(MqttBrokerAutoConfiguration.class.getName() + "$MoquetteEngine");
		}
		catch (ClassNotFoundException ex) {
			throw new AssertionError(ex);
		}
	}

}
