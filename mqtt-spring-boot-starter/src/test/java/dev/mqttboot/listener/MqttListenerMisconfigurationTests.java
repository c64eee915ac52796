package dev.mqttboot.listener;

import dev.mqttboot.autoconfigure.MqttBrokerAutoConfiguration;
import dev.mqttboot.autoconfigure.MqttClientAutoConfiguration;
import dev.mqttboot.autoconfigure.MqttListenerAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A misconfigured listener stops the application at start-up with a message naming the listener and the mistake.
 */
class MqttListenerMisconfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, MqttBrokerAutoConfiguration.class,
				MqttClientAutoConfiguration.class, MqttListenerAutoConfiguration.class))
		.withPropertyValues("mqtt.broker.host=127.0.0.1", "mqtt.broker.port=0");

	@Test
	void aBadTopicFilter() {
		assertFails(BadFilter.class, "listener.onMessage", "'#' must be the whole last level");
	}

	@Test
	void anUnknownClient() {
		assertFails(UnknownClient.class, "No MQTT client connection named 'nowhere'", "[default]");
	}

	@Test
	void anUnknownErrorHandler() {
		assertFails(UnknownErrorHandler.class, "errorHandler 'missingHandler'", "not an MqttListenerErrorHandler");
	}

	@Test
	void aParameterThatCannotBeBound() {
		assertFails(TwoPayloads.class, "parameter 'second' cannot be bound", "@TopicVariable");
	}

	@Test
	void aTopicVariableNotInTheTemplate() {
		assertFails(MissingVariable.class, "@TopicVariable(\"serial\") is not in the topic templates", "[deviceId]");
	}

	@Test
	void aSharedSubscriptionOnTheEmbeddedBroker() {
		assertFails(SharedOnEmbedded.class, "group 'workers' needs shared subscriptions", "mqtt.client.url");
	}

	private void assertFails(Class<?> configuration, String... expected) {
		this.runner.withUserConfiguration(configuration).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("Invalid @MqttListener");
			for (String text : expected) {
				assertThat(context.getStartupFailure()).hasStackTraceContaining(text);
			}
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class BadFilter {

		@Bean
		Object listener() {
			return new Object() {
				@MqttListener(topics = "sensors/#/temp")
				void onMessage(String payload) {
				}
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UnknownClient {

		@Bean
		Object listener() {
			return new Object() {
				@MqttListener(topics = "a", client = "nowhere")
				void onMessage(String payload) {
				}
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UnknownErrorHandler {

		@Bean
		Object listener() {
			return new Object() {
				@MqttListener(topics = "a", errorHandler = "missingHandler")
				void onMessage(String payload) {
				}
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TwoPayloads {

		@Bean
		Object listener() {
			return new Object() {
				@MqttListener(topics = "a")
				void onMessage(String first, String second) {
				}
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class MissingVariable {

		@Bean
		Object listener() {
			return new Object() {
				@MqttListener(topics = "devices/{deviceId}")
				void onMessage(@TopicVariable("serial") String serial) {
				}
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SharedOnEmbedded {

		@Bean
		Object listener() {
			return new Object() {
				@MqttListener(topics = "jobs", group = "workers")
				void onMessage(String payload) {
				}
			};
		}

	}

}
