package dev.mqttboot.autoconfigure;

import java.time.Duration;
import java.util.List;

import dev.mqttboot.broker.MqttBroker;
import dev.mqttboot.client.MqttConnection;
import dev.mqttboot.client.MqttConnections;
import dev.mqttboot.client.MqttOperations;
import dev.mqttboot.client.PublishOptions;
import dev.mqttboot.test.MqttTestClient;
import dev.mqttboot.test.MqttTestOptions;
import dev.mqttboot.support.TestBroker;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Where client connections go: {@link MqttConnectionDetails} from the properties, from the embedded broker, or from
 * the application.
 */
class ConnectionDetailsTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, MqttBrokerAutoConfiguration.class,
				MqttClientAutoConfiguration.class))
		.withPropertyValues("mqtt.broker.host=127.0.0.1", "mqtt.broker.port=0");

	@Test
	void withoutAUrlTheDetailsAreTheEmbeddedBrokersBoundPort() {
		this.runner.withPropertyValues("mqtt.client.username=app", "mqtt.client.password=secret").run((context) -> {
			assertThat(context).hasSingleBean(MqttConnectionDetails.class)
				.hasSingleBean(PropertiesMqttConnectionDetails.class);
			int port = context.getBean(MqttBroker.class).ports().mqtt();
			assertThat(port).isPositive();
			MqttConnectionDetails details = context.getBean(MqttConnectionDetails.class).forConnection("default");
			assertThat(details.getUrls()).containsExactly("tcp://127.0.0.1:" + port);
			assertThat(details.getUsername()).isEqualTo("app");
			assertThat(details.getPassword()).isEqualTo("secret");
			MqttConnection connection = context.getBean(MqttConnections.class).get("default");
			assertThat(connection.targetsEmbeddedBroker()).isTrue();
			assertThat(connection.url()).isEqualTo("tcp://127.0.0.1:" + port);
		});
	}

	@Test
	void namedConnectionsGetTheirOwnDetailsAndInheritWhatTheyLeaveUnset() {
		this.runner
			.withPropertyValues("mqtt.broker.enabled=false", "mqtt.client.url=tcp://127.0.0.1:1",
					"mqtt.client.username=app", "mqtt.clients.other.url=tcp://127.0.0.1:2",
					"mqtt.clients.other.password=p", "mqtt.clients.same.client-id=same")
			.run((context) -> {
				MqttConnectionDetails details = context.getBean(MqttConnectionDetails.class);
				assertThat(details.getUrls()).containsExactly("tcp://127.0.0.1:1");
				MqttConnectionDetails other = details.forConnection("other");
				assertThat(other.getUrls()).containsExactly("tcp://127.0.0.1:2");
				assertThat(other.getUsername()).isEqualTo("app");
				assertThat(other.getPassword()).isEqualTo("p");
				assertThat(details.forConnection("same").getUrls()).containsExactly("tcp://127.0.0.1:1");
				assertThat(context.getBean(MqttConnections.class).get("other").targetsEmbeddedBroker()).isFalse();
			});
	}

	@Test
	void aNamedConnectionWithAUrlLeavesTheEmbeddedBrokerToTheOthers() {
		this.runner.withPropertyValues("mqtt.clients.remote.url=tcp://127.0.0.1:1").run((context) -> {
			MqttConnections connections = context.getBean(MqttConnections.class);
			assertThat(connections.get("default").targetsEmbeddedBroker()).isTrue();
			assertThat(connections.get("remote").targetsEmbeddedBroker()).isFalse();
			assertThat(connections.get("remote").url()).isEqualTo("tcp://127.0.0.1:1");
		});
	}

	@Test
	void theApplicationsDetailsReplaceThePropertiesForEveryConnection() {
		this.runner.withUserConfiguration(FixedDetails.class)
			.withPropertyValues("mqtt.client.url=tcp://127.0.0.1:1", "mqtt.clients.other.client-id=other")
			.run((context) -> {
				assertThat(context).hasSingleBean(MqttConnectionDetails.class)
					.doesNotHaveBean(PropertiesMqttConnectionDetails.class);
				MqttConnections connections = context.getBean(MqttConnections.class);
				assertThat(connections.get("default").url()).isEqualTo("tcp://127.0.0.1:7");
				assertThat(connections.get("other").url()).isEqualTo("tcp://127.0.0.1:7");
				assertThat(connections.get("default").targetsEmbeddedBroker()).isFalse();
			});
	}

	@Test
	void detailsAloneSwitchTheClientsOnWithoutAUrlOrABroker() {
		this.runner.withUserConfiguration(FixedDetails.class)
			.withPropertyValues("mqtt.broker.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(MqttConnections.class)
				.hasSingleBean(MqttOperations.class));
	}

	@Test
	void theTemplatePublishesWhereTheApplicationsDetailsPointOverARealSocket() throws Exception {
		try (TestBroker broker = TestBroker.start("mqtt.broker.allow-anonymous=false",
				"mqtt.broker.users[0].name=svc", "mqtt.broker.users[0].password={noop}s3cret");
				MqttTestClient watcher = MqttTestClient.connect(broker.tcpUrl(), "watcher", credentials())) {
			watcher.subscribe("details/#", 1);
			this.runner.withBean(MqttConnectionDetails.class, () -> new MqttConnectionDetails() {
				@Override
				public List<String> getUrls() {
					return List.of(broker.tcpUrl());
				}

				@Override
				public String getUsername() {
					return "svc";
				}

				@Override
				public String getPassword() {
					return "s3cret";
				}
			})
				.withPropertyValues("mqtt.broker.enabled=false", "mqtt.client.url=tcp://127.0.0.1:1",
						"mqtt.client.username=wrong")
				.run((context) -> {
					MqttOperations template = context.getBean(MqttOperations.class);
					template.publish("details/hello", "over the details", PublishOptions.qos(1)).get();
					await().atMost(Duration.ofSeconds(10))
						.untilAsserted(() -> assertThat(watcher.payloads()).containsExactly("over the details"));
					assertThat(broker.broker().connectedClients())
						.anySatisfy((client) -> assertThat(client.username()).isEqualTo("svc"));
				});
		}
	}

	private static MqttTestOptions credentials() {
		MqttTestOptions options = new MqttTestOptions();
		options.credentials("svc", "s3cret");
		return options;
	}

	@Configuration(proxyBeanMethods = false)
	static class FixedDetails {

		@Bean
		MqttConnectionDetails fixedDetails() {
			return () -> List.of("tcp://127.0.0.1:7");
		}

	}

}
