package dev.mqttboot.listener;

import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.annotation.ReflectiveRuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @MqttListener} methods get reflection hints for an AOT build, as {@code @KafkaListener} ones do: the
 * annotation is {@code @Reflective}, and the same holds when it is repeated or used as a meta-annotation.
 */
class ListenerRuntimeHintsTests {

	@Test
	void annotatedRepeatedAndMetaAnnotatedListenerMethodsCanBeInvokedReflectively() {
		RuntimeHints hints = new RuntimeHints();
		new ReflectiveRuntimeHintsRegistrar().registerRuntimeHints(hints, Listeners.class);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Listeners.class, "reading")).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Listeners.class, "twice")).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Listeners.class, "viaMeta")).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Listeners.class, "notAListener"))
			.rejects(hints);
	}

	@java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
	@java.lang.annotation.Target(java.lang.annotation.ElementType.METHOD)
	@MqttListener(topics = "meta/#")
	@interface MetaListener {

	}

	static class Listeners {

		@MqttListener(topics = "sensors/{id}/temperature")
		void reading(String payload) {
		}

		@MqttListener(topics = "a/#")
		@MqttListener(topics = "b/#")
		void twice(String payload) {
		}

		@MetaListener
		void viaMeta(String payload) {
		}

		void notAListener(String payload) {
		}

	}

}
