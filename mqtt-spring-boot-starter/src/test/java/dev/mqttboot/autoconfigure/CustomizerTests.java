package dev.mqttboot.autoconfigure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.mqttboot.broker.BrokerStartException;
import dev.mqttboot.broker.MqttBrokerCustomizer;
import dev.mqttboot.client.ClientStartException;
import dev.mqttboot.client.MqttConnectOptionsCustomizers;
import dev.mqttboot.client.MqttTemplate;
import dev.mqttboot.client.MqttTemplateCustomizer;
import dev.mqttboot.listener.DefaultMqttListenerContainerFactory;
import dev.mqttboot.listener.ListenerIsolation;
import dev.mqttboot.listener.MqttListenerContainerFactoryCustomizer;
import dev.mqttboot.client.MqttConnections;
import dev.mqttboot.client.MqttOperations;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Customizer beans for the template, the listener container factory and the embedded broker run in order after the
 * properties; what the starter owns stays its own.
 */
class CustomizerTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, MqttBrokerAutoConfiguration.class,
				MqttClientAutoConfiguration.class, MqttListenerAutoConfiguration.class))
		.withPropertyValues("mqtt.broker.host=127.0.0.1", "mqtt.broker.port=0");

	@Test
	void templateCustomizersRunInOrderOnTheAutoConfiguredTemplate() {
		this.runner.withUserConfiguration(TemplateCustomizers.class).run((context) -> {
			assertThat(context).hasNotFailed();
			CallLog log = context.getBean(CallLog.class);
			assertThat(log.calls).containsExactly("first:default", "second:default");
			assertThat(log.templates).containsOnly(context.getBean(MqttTemplate.class));
		});
	}

	@Test
	void containerFactoryCustomizersRunInOrderAfterTheProperties() {
		this.runner.withUserConfiguration(FactoryCustomizers.class)
			.withPropertyValues("mqtt.listener.isolation=dedicated")
			.run((context) -> {
				CallLog log = context.getBean(CallLog.class);
				assertThat(log.calls).containsExactly("first:dedicated", "second:shared");
				assertThat(context.getBean(DefaultMqttListenerContainerFactory.class).getIsolation())
					.isEqualTo(ListenerIsolation.SHARED);
			});
	}

	@Test
	void theFactoryConfigurerGivesASecondFactoryTheListenerProperties() {
		this.runner.withPropertyValues("mqtt.listener.isolation=shared").run((context) -> {
			DefaultMqttListenerContainerFactory second = new DefaultMqttListenerContainerFactory(
					context.getBean(MqttConnections.class), context.getBean(MqttOperations.class));
			assertThat(second.getIsolation()).isNotEqualTo(ListenerIsolation.SHARED);
			context.getBean(MqttListenerContainerFactoryConfigurer.class).configure(second);
			assertThat(second.getIsolation()).isEqualTo(ListenerIsolation.SHARED);
		});
		this.runner.withPropertyValues("mqtt.listener.queue-capacity=0")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("mqtt.listener.queue-capacity"));
	}

	@Test
	void brokerCustomizersRunInOrderAndSeeTheSettingsAndEachOther() {
		this.runner.withUserConfiguration(BrokerCustomizers.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(CallLog.class).calls).containsExactly("first:moquette:127.0.0.1",
					"second:3600s");
		});
	}

	@Test
	void aBrokerCustomizerSettingWhatAPropertyOwnsFailsNamingTheProperty() {
		this.runner.withBean(MqttBrokerCustomizer.class, () -> (engine) -> engine.set("port", "1884"))
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(BrokerStartException.class)
					.hasMessageContaining("'port'");
				var analysis = new MqttStartupFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("Property: mqtt.broker.port");
				assertThat(analysis.getAction()).contains("Set mqtt.broker.port instead");
			});
	}

	@Test
	void aBrokerCustomizerCannotSetSocketOptionsTheStartersListenersIgnore() {
		this.runner.withBean(MqttBrokerCustomizer.class, () -> (engine) -> engine.set("netty.so_backlog", "8"))
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(BrokerStartException.class)
				.hasMessageContaining("netty.so_backlog"));
	}

	@Test
	void aConnectOptionsCustomizerTurningOnPahosReconnectFailsAtStartUp() {
		this.runner
			.withBean(MqttConnectOptionsCustomizers.V3.class,
					() -> (name, options) -> options.setAutomaticReconnect(true))
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(ClientStartException.class)
					.hasMessageContaining("automatic reconnect");
				var analysis = new MqttStartupFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("Property: mqtt.client.reconnect");
			});
	}

	static class CallLog {

		final List<String> calls = new CopyOnWriteArrayList<>();

		final List<MqttTemplate> templates = new CopyOnWriteArrayList<>();

	}

	@Configuration(proxyBeanMethods = false)
	static class TemplateCustomizers {

		@Bean
		CallLog callLog() {
			return new CallLog();
		}

		@Bean
		@Order(2)
		MqttTemplateCustomizer second(CallLog log) {
			return (template) -> {
				log.calls.add("second:" + template.getConnectionName());
				log.templates.add(template);
			};
		}

		@Bean
		@Order(1)
		MqttTemplateCustomizer first(CallLog log) {
			return (template) -> {
				log.calls.add("first:" + template.getConnectionName());
				log.templates.add(template);
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class FactoryCustomizers {

		@Bean
		CallLog callLog() {
			return new CallLog();
		}

		@Bean
		@Order(2)
		MqttListenerContainerFactoryCustomizer second(CallLog log) {
			return (factory) -> {
				factory.setIsolation(ListenerIsolation.SHARED);
				log.calls.add("second:" + factory.getIsolation().name().toLowerCase());
			};
		}

		@Bean
		@Order(1)
		MqttListenerContainerFactoryCustomizer first(CallLog log) {
			return (factory) -> log.calls.add("first:" + factory.getIsolation().name().toLowerCase());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BrokerCustomizers {

		@Bean
		CallLog callLog() {
			return new CallLog();
		}

		@Bean
		@Order(2)
		MqttBrokerCustomizer second(CallLog log) {
			return (engine) -> log.calls.add("second:" + engine.get("persistent_client_expiration"));
		}

		@Bean
		@Order(1)
		MqttBrokerCustomizer first(CallLog log) {
			return (engine) -> {
				engine.set("persistent_client_expiration", "3600s");
				log.calls.add("first:" + engine.engine() + ":" + engine.settings().host());
			};
		}

	}

}
