package dev.mqttboot.autoconfigure;

import java.time.Duration;

import dev.mqttboot.broker.MqttBroker;
import dev.mqttboot.client.ClientStartException;
import dev.mqttboot.client.MqttConnectOptionsCustomizers;
import dev.mqttboot.client.MqttConnection;
import dev.mqttboot.client.MqttConnections;
import dev.mqttboot.client.MqttOperations;
import dev.mqttboot.client.MqttTemplate;
import dev.mqttboot.core.MqttProtocolVersion;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Conditions, back-offs, inheritance and start-up failures of the client auto-configuration.
 */
class ClientConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, MqttBrokerAutoConfiguration.class,
				MqttClientAutoConfiguration.class))
		.withPropertyValues("mqtt.broker.host=127.0.0.1", "mqtt.broker.port=0");

	@Test
	void withTheEmbeddedBrokerTheDefaultConnectionAndTemplateExist() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(MqttConnections.class)
			.hasSingleBean(MqttOperations.class));
	}

	@Test
	void noBrokerAndNoUrlMeansNoClient() {
		this.runner.withPropertyValues("mqtt.broker.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(MqttConnections.class)
				.doesNotHaveBean(MqttOperations.class));
	}

	@Test
	void clientsCanBeTurnedOff() {
		this.runner.withPropertyValues("mqtt.client.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(MqttConnections.class));
	}

	@Test
	void theUsersOwnTemplateWins() {
		this.runner.withUserConfiguration(OwnTemplate.class)
			.run((context) -> assertThat(context).hasSingleBean(MqttOperations.class)
				.doesNotHaveBean(MqttTemplate.class));
	}

	@Test
	void namedConnectionsInheritUnsetValuesFromTheDefault() {
		this.runner
			.withPropertyValues("mqtt.broker.enabled=false", "mqtt.client.url=tcp://127.0.0.1:1",
					"mqtt.client.keep-alive=17s", "mqtt.client.default-qos=2", "mqtt.clients.other.client-id=other",
					"mqtt.clients.other.keep-alive=5s")
			.run((context) -> {
				MqttConnections connections = context.getBean(MqttConnections.class);
				MqttConnection other = connections.get("other");
				assertThat(other.clientId()).isEqualTo("other");
				assertThat(other.keepAliveSeconds()).isEqualTo(5);
				assertThat(other.defaultQos()).isEqualTo(2);
				assertThat(other.url()).isEqualTo("tcp://127.0.0.1:1");
				assertThat(connections.get("default").keepAliveSeconds()).isEqualTo(17);
			});
	}

	@Test
	void aNamedConnectionStartsFromTheDefaultsOwnValuesAndItsOwnListReplacesTheDefaults() {
		this.runner
			.withPropertyValues("mqtt.broker.enabled=false", "mqtt.client.url[0]=tcp://127.0.0.1:1",
					"mqtt.client.url[1]=tcp://127.0.0.1:2", "mqtt.client.will.topic=status/app",
					"mqtt.client.will.qos=2", "mqtt.client.reconnect.max-delay=5s", "mqtt.client.offline-buffer.size=7",
					"mqtt.clients.other.url=tcp://127.0.0.1:3", "mqtt.clients.other.will.qos=0")
			.run((context) -> {
				MqttConnectionsConfigurer configurer = context.getBean(MqttConnectionsConfigurer.class);
				assertThat(configurer.names()).containsExactly("default", "other");
				var other = configurer.settings("other");
				assertThat(other.will().topic()).isEqualTo("status/app");
				assertThat(other.will().qos()).isZero();
				assertThat(other.reconnectMaxDelay()).isEqualTo(Duration.ofSeconds(5));
				assertThat(other.offlineBufferSize()).isEqualTo(7);
				assertThat(context.getBean(MqttConnections.class).get("other").url()).isEqualTo("tcp://127.0.0.1:3");
				assertThat(configurer.settings("default").will().qos()).isEqualTo(2);
			});
	}

	@Test
	void theConnectionsConfigurerBuildsASecondSetOfConnectionsWithTheSameSettings() {
		this.runner.withPropertyValues("mqtt.client.client-id=app", "mqtt.client.keep-alive=25s").run((context) -> {
			MqttConnections second = context.getBean(MqttConnectionsConfigurer.class).createConnections();
			assertThat(second).isNotSameAs(context.getBean(MqttConnections.class));
			MqttConnection connection = second.get("default");
			assertThat(connection.clientId()).isEqualTo("app");
			assertThat(connection.keepAliveSeconds()).isEqualTo(25);
			assertThat(connection.isConnected()).isFalse();
		});
	}

	@Test
	void aConnectOptionsCustomizerAdjustsWhatPropertiesCannot() {
		this.runner.withUserConfiguration(KeepAliveCustomizer.class).run((context) -> {
			MqttBroker broker = context.getBean(MqttBroker.class);
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(broker.connectedClients()).singleElement()
					.satisfies((client) -> assertThat(client.requestedKeepAlive()).isEqualTo(42)));
		});
	}

	@Test
	void anUnknownProtocolVersionFailsNamingThePropertyAndTheAcceptedValues() {
		this.runner.withPropertyValues("mqtt.clients.other.protocol-version=4").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasRootCauseMessage(
					"'4' is not a supported MQTT protocol version; use 3.1.1 or 5");
			org.springframework.boot.context.properties.bind.BindException bind = findCause(
					context.getStartupFailure(), org.springframework.boot.context.properties.bind.BindException.class);
			assertThat(bind.getProperty().getName()).hasToString("mqtt.clients.other.protocol-version");
		});
	}

	@Test
	void theProtocolVersionBindsAsUsersWriteIt() {
		this.runner
			.withPropertyValues("mqtt.broker.enabled=false", "mqtt.client.url=tcp://127.0.0.1:1",
					"mqtt.client.protocol-version=5", "mqtt.clients.a.protocol-version=3.1.1",
					"mqtt.clients.b.protocol-version=5.0", "mqtt.clients.c.protocol-version=v5")
			.run((context) -> {
				MqttConnections connections = context.getBean(MqttConnections.class);
				assertThat(connections.get("default").protocolVersion()).isEqualTo(MqttProtocolVersion.V5);
				assertThat(connections.get("a").protocolVersion()).isEqualTo(MqttProtocolVersion.V3_1_1);
				assertThat(connections.get("b").protocolVersion()).isEqualTo(MqttProtocolVersion.V5);
				assertThat(connections.get("c").protocolVersion()).isEqualTo(MqttProtocolVersion.V5);
			});
	}

	@Test
	void observationIsSwitchedOnMqttClientOnlyAndANamedConnectionSayingOtherwiseFails() {
		assertStartupFailure("mqtt.clients.x.observation-enabled=true", "mqtt.clients.x.observation-enabled",
				"mqtt.client.observation-enabled");
	}

	private static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
		}
		throw new AssertionError("No " + type.getSimpleName() + " in " + failure);
	}

	@Test
	void aUrlWithAnUnknownSchemeFailsNamingTheProperty() {
		assertStartupFailure("mqtt.clients.x.url=http://example.org", "mqtt.clients.x.url", "tcp://");
	}

	@Test
	void anInvalidQosFailsNamingTheProperty() {
		assertStartupFailure("mqtt.client.will.topic=a", "mqtt.client.will.qos=3", "mqtt.client.will.qos",
				"0, 1 or 2");
	}

	@Test
	void anUnknownSslBundleFailsNamingTheProperty() {
		assertStartupFailure("mqtt.client.ssl.bundle=missing", "mqtt.client.ssl.bundle", "spring.ssl.bundle");
	}

	private void assertStartupFailure(String... propertiesThenPropertyThenDetail) {
		int n = propertiesThenPropertyThenDetail.length;
		String property = propertiesThenPropertyThenDetail[n - 2];
		String detail = propertiesThenPropertyThenDetail[n - 1];
		String[] properties = java.util.Arrays.copyOf(propertiesThenPropertyThenDetail, n - 2);
		this.runner.withPropertyValues(properties).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().isInstanceOf(ClientStartException.class);
			var analysis = new MqttStartupFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("Property: " + property);
			assertThat(analysis.getAction()).contains(property).contains(detail);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class KeepAliveCustomizer {

		@Bean
		MqttConnectOptionsCustomizers.V3 keepAlive42() {
			return (name, options) -> options.setKeepAliveInterval(42);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnTemplate {

		@Bean
		MqttOperations myOperations() {
			return org.mockito.Mockito.mock(MqttOperations.class);
		}

	}

}
