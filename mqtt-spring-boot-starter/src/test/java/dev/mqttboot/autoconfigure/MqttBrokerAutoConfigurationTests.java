package dev.mqttboot.autoconfigure;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import dev.mqttboot.broker.BrokerEventListener;
import dev.mqttboot.broker.BrokerPorts;
import dev.mqttboot.broker.BrokerStartException;
import dev.mqttboot.broker.ConnectedClient;
import dev.mqttboot.broker.moquette.MoquetteBroker;
import dev.mqttboot.broker.MqttBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conditions, back-offs and start-up failures of {@link MqttBrokerAutoConfiguration}.
 */
class MqttBrokerAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, MqttBrokerAutoConfiguration.class))
		.withPropertyValues("mqtt.broker.host=127.0.0.1", "mqtt.broker.port=0");

	@Test
	void withoutAClientUrlTheEmbeddedBrokerStartsOnARandomPortAndPublishesIt() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(MoquetteBroker.class).hasSingleBean(EmbeddedBrokerLifecycle.class);
			MqttBroker broker = context.getBean(MqttBroker.class);
			assertThat(broker.isRunning()).isTrue();
			assertThat(broker.ports().mqtt()).isPositive();
			assertThat(broker.ports().mqttSsl()).isEqualTo(BrokerPorts.DISABLED);
			assertThat(context.getEnvironment().getProperty("local.mqtt.port", Integer.class))
				.isEqualTo(broker.ports().mqtt());
			try (java.net.Socket socket = new java.net.Socket("127.0.0.1", broker.ports().mqtt())) {
				assertThat(socket.isConnected()).isTrue();
			}
		});
	}

	@Test
	void theBrokerStopsWithTheContext() {
		MqttBroker[] broker = new MqttBroker[1];
		this.runner.run((context) -> broker[0] = context.getBean(MqttBroker.class));
		assertThat(broker[0].isRunning()).isFalse();
	}

	@Test
	void disabledMeansNoBroker() {
		this.runner.withPropertyValues("mqtt.broker.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(MqttBroker.class));
	}

	@Test
	void aClientUrlTurnsTheEmbeddedDefaultOff() {
		this.runner.withPropertyValues("mqtt.client.url=tcp://broker.example:1883")
			.run((context) -> assertThat(context).doesNotHaveBean(MqttBroker.class));
	}

	@Test
	void explicitlyEnabledWinsOverAClientUrl() {
		this.runner.withPropertyValues("mqtt.client.url=tcp://broker.example:1883", "mqtt.broker.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(MqttBroker.class));
	}

	@Test
	void theUsersOwnBrokerBeanWinsAndIsStillStartedAndStopped() {
		this.runner.withUserConfiguration(OwnBroker.class).run((context) -> {
			assertThat(context).doesNotHaveBean(MoquetteBroker.class).hasSingleBean(MqttBroker.class);
			assertThat(context.getBean(RecordingBroker.class).isRunning()).isTrue();
		});
	}

	@Test
	void aPortOutOfRangeFailsNamingTheProperty() {
		assertFailure(this.runner.withPropertyValues("mqtt.broker.port=70000"), "mqtt.broker.port",
				"0 to 65535");
	}

	@Test
	void aSessionQueueSizeOutOfRangeFailsNamingTheProperty() {
		assertFailure(this.runner.withPropertyValues("mqtt.broker.moquette.session-queue-size=1"),
				"mqtt.broker.moquette.session-queue-size", "16 to 1048576");
	}

	@Test
	void aRedeliveryIntervalBelowTheEnginesInflightTimeoutFailsNamingTheProperty() {
		assertFailure(this.runner.withPropertyValues("mqtt.broker.moquette.redelivery-interval=2s"),
				"mqtt.broker.moquette.redelivery-interval", "at least 5s");
	}

	@Test
	void anUnknownAclAccessFailsNamingTheRuleAndTheAcceptedValues() {
		this.runner.withPropertyValues("mqtt.broker.acl[0].topic=a/#", "mqtt.broker.acl[0].access=forbid")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).hasStackTraceContaining("mqtt.broker.acl[0].access");
			});
	}

	@Test
	void anOutboundBufferSizeOutOfRangeFailsNamingTheProperty() {
		assertFailure(this.runner.withPropertyValues("mqtt.broker.moquette.outbound-buffer-size=10B"),
				"mqtt.broker.moquette.outbound-buffer-size", "between 1KB and 1GB");
	}

	@Test
	void aPortInUseFailsNamingTheProperty() throws Exception {
		try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
			assertFailure(this.runner.withPropertyValues("mqtt.broker.port=" + taken.getLocalPort()),
					"mqtt.broker.port", "already in use");
		}
	}

	@Test
	void anUnknownSslBundleFailsNamingTheProperty() {
		assertFailure(this.runner.withPropertyValues("mqtt.broker.ssl.port=0", "mqtt.broker.ssl.bundle=missing"),
				"mqtt.broker.ssl.bundle", "no SSL bundle named 'missing'");
	}

	@Test
	void aTlsPortWithoutABundleFailsNamingTheProperty() {
		assertFailure(this.runner.withPropertyValues("mqtt.broker.ssl.port=0"), "mqtt.broker.ssl.bundle",
				"spring.ssl.bundle");
	}

	@Test
	void persistenceWithoutADirectoryFailsNamingTheProperty() {
		assertFailure(this.runner.withPropertyValues("mqtt.broker.persistence.enabled=true"),
				"mqtt.broker.persistence.directory", "writable directory");
	}

	@Test
	void anUnusablePersistenceDirectoryFailsNamingTheProperty(@TempDir Path temp) throws Exception {
		Path file = Files.writeString(temp.resolve("not-a-directory"), "x");
		assertFailure(this.runner.withPropertyValues("mqtt.broker.persistence.enabled=true",
				"mqtt.broker.persistence.directory=" + file), "mqtt.broker.persistence.directory",
				"cannot be created");
	}

	@Test
	void aMalformedAclTopicFilterFailsNamingTheRule() {
		assertFailure(this.runner.withPropertyValues("mqtt.broker.acl[0].topic=sensors/#/temperature"),
				"mqtt.broker.acl[0].topic", "'#' must be the whole last level");
	}

	@Test
	void anUnknownPasswordHashFormatFailsNamingTheUser() {
		assertFailure(
				this.runner.withPropertyValues("mqtt.broker.users[0].name=alice",
						"mqtt.broker.users[0].password={md5}5f4dcc3b5aa765d61d8327deb882cf99"),
				"mqtt.broker.users[0].password", "{bcrypt}, {pbkdf2} and {noop}");
	}

	@Test
	void aMalformedUsersFileLineFailsNamingTheFile(@TempDir Path temp) throws Exception {
		Path users = Files.writeString(temp.resolve("users"), "alice:{bcrypt}not-a-hash\n");
		assertFailure(this.runner.withPropertyValues("mqtt.broker.users-file=file:" + users),
				"mqtt.broker.users-file", "line 1");
	}

	@Test
	void anUnknownClientAuthValueFailsNamingThePropertyAndTheAcceptedValues() {
		this.runner.withPropertyValues("mqtt.broker.ssl.client-auth=sometimes").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("mqtt.broker.ssl.client-auth");
		});
	}

	private void assertFailure(ApplicationContextRunner runner, String property, String detail) {
		runner.run((AssertableApplicationContext context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new MqttStartupFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis).as("analysis of %s", context.getStartupFailure()).isNotNull();
			assertThat(analysis.getDescription()).contains("Property: " + property);
			assertThat(analysis.getDescription() + " " + analysis.getAction()).containsIgnoringCase(detail);
			assertThat(analysis.getAction()).contains(property);
			assertThat(analysis.getCause()).isInstanceOf(BrokerStartException.class);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnBroker {

		@Bean
		RecordingBroker myBroker() {
			return new RecordingBroker();
		}

	}

	static class RecordingBroker implements MqttBroker {

		private volatile boolean running;

		@Override
		public void start() {
			this.running = true;
		}

		@Override
		public void stop() {
			this.running = false;
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

		@Override
		public BrokerPorts ports() {
			return new BrokerPorts(11883, BrokerPorts.DISABLED, BrokerPorts.DISABLED, BrokerPorts.DISABLED);
		}

		@Override
		public List<ConnectedClient> connectedClients() {
			return List.of();
		}

		@Override
		public boolean disconnect(String clientId) {
			return false;
		}

		@Override
		public Optional<Throwable> engineFailure() {
			return Optional.empty();
		}

		@Override
		public void addListener(BrokerEventListener listener) {
		}

	}

}
