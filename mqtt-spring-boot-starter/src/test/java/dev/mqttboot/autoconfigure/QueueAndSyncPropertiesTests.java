package dev.mqttboot.autoconfigure;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import dev.mqttboot.broker.BrokerSettings;
import dev.mqttboot.broker.MqttBroker;
import dev.mqttboot.broker.MqttBrokerCustomizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The properties that bound memory and decide durability belong to one engine each, in its own group
 * ({@code mqtt.broker.moquette.max-queued-messages} and {@code autosave-interval}, {@code mqtt.broker.artemis.max-memory}
 * and {@code journal-sync}): the other engine ignores them, as Spring Boot's pool-specific groups are ignored by another
 * pool. One still set under its name before the move fails the start-up naming its new name.
 */
class QueueAndSyncPropertiesTests {

	@TempDir
	Path directory;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, MqttBrokerAutoConfiguration.class))
		.withPropertyValues("mqtt.broker.host=127.0.0.1", "mqtt.broker.port=0");

	@Test
	void eachEngineTakesItsOwnLimitAndHandsItToTheEngine() {
		AtomicReference<BrokerSettings> seen = new AtomicReference<>();
		this.runner.withPropertyValues("mqtt.broker.moquette.max-queued-messages=50")
			.withBean(MqttBrokerCustomizer.class, () -> (engine) -> seen.set(engine.settings()))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(seen.get().queueLimits().maxQueuedMessages()).isEqualTo(50);
			});
		this.runner
			.withPropertyValues("mqtt.broker.engine=artemis", "mqtt.broker.artemis.max-memory=64MB",
					"mqtt.broker.persistence.enabled=true", "mqtt.broker.persistence.directory=" + this.directory,
					"mqtt.broker.artemis.journal-sync=every-message")
			.withBean(MqttBrokerCustomizer.class, () -> (engine) -> {
				assertThat(engine.settings().queueLimits().maxMemoryBytes()).isEqualTo(64L * 1024 * 1024);
				assertThat(engine.settings().persistence().sync()).isEqualTo(BrokerSettings.Sync.EVERY_MESSAGE);
			})
			.run((context) -> assertThat(context.getBean(MqttBroker.class).isRunning()).isTrue());
	}

	@Test
	void theDefaultsAreTenThousandQueuedMessagesOnMoquetteAndBatchedSyncs() {
		AtomicReference<BrokerSettings> seen = new AtomicReference<>();
		this.runner.withBean(MqttBrokerCustomizer.class, () -> (engine) -> seen.set(engine.settings()))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(seen.get().queueLimits().maxQueuedMessages()).isEqualTo(10_000);
				assertThat(seen.get().persistence().sync()).isEqualTo(BrokerSettings.Sync.BATCHED);
			});
	}

	@Test
	void anEngineIgnoresTheOtherEnginesGroup() {
		this.runner
			.withPropertyValues("mqtt.broker.engine=artemis", "mqtt.broker.moquette.max-queued-messages=100",
					"mqtt.broker.moquette.autosave-interval=5s")
			.withBean(MqttBrokerCustomizer.class,
					() -> (engine) -> assertThat(engine.settings().queueLimits().maxQueuedMessages()).isZero())
			.run((context) -> assertThat(context.getBean(MqttBroker.class).isRunning()).isTrue());
		AtomicReference<BrokerSettings> seen = new AtomicReference<>();
		this.runner.withPropertyValues("mqtt.broker.artemis.max-memory=64MB", "mqtt.broker.artemis.journal-sync=none")
			.withBean(MqttBrokerCustomizer.class, () -> (engine) -> seen.set(engine.settings()))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(seen.get().queueLimits().maxQueuedMessages()).isEqualTo(10_000);
			});
	}

	@Test
	void aPropertySetUnderItsNameBeforeTheMoveFailsNamingTheNewOne() {
		assertRefused("mqtt.broker.max-queued-messages", "mqtt.broker.moquette.max-queued-messages",
				"mqtt.broker.max-queued-messages=100");
		assertRefused("mqtt.broker.persistence.sync", "mqtt.broker.artemis.journal-sync",
				"mqtt.broker.engine=artemis", "mqtt.broker.persistence.sync=none");
		assertRefused("mqtt.broker.cluster.members[0]", "mqtt.broker.artemis.cluster.members[0]",
				"mqtt.broker.engine=artemis", "mqtt.broker.cluster.members[0]=node-2:61616");
		// As an environment variable, the way broker-service is configured.
		this.runner.withInitializer((context) -> context.getEnvironment()
			.getPropertySources()
			.addFirst(new SystemEnvironmentPropertySource("test-systemEnvironment",
					Map.of("MQTT_BROKER_PERSISTENCE_AUTOSAVEINTERVAL", "5s"))))
			.run((context) -> {
				assertThat(context).hasFailed();
				var analysis = new MqttStartupFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("mqtt.broker.moquette.autosave-interval");
				assertThat(analysis.getAction()).contains("MQTT_BROKER_MOQUETTE_AUTOSAVEINTERVAL");
			});
		// The legacy form Spring Boot binds too, a dash written as an underscore.
		this.runner.withInitializer((context) -> context.getEnvironment()
			.getPropertySources()
			.addFirst(new SystemEnvironmentPropertySource("test-systemEnvironment",
					Map.of("MQTT_BROKER_MAX_MEMORY", "64MB"))))
			.run((context) -> {
				assertThat(context).hasFailed();
				var analysis = new MqttStartupFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("MQTT_BROKER_MAX_MEMORY")
					.contains("mqtt.broker.artemis.max-memory");
				assertThat(analysis.getAction()).contains("MQTT_BROKER_ARTEMIS_MAXMEMORY");
			});
	}

	@Test
	void outOfRangeLimitsFailNamingTheAcceptedValues() {
		assertRefused("mqtt.broker.moquette.max-queued-messages", "1 to 100000000", "mqtt.broker.moquette.max-queued-messages=0");
		assertRefused("mqtt.broker.artemis.max-memory", "256MB", "mqtt.broker.engine=artemis", "mqtt.broker.artemis.max-memory=10KB");
	}

	private void assertRefused(String property, String actionMentions, String... properties) {
		this.runner.withPropertyValues(properties).run((context) -> {
			assertThat(context).hasFailed();
			var analysis = new MqttStartupFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis).as("failure analysis").isNotNull();
			assertThat(analysis.getDescription()).contains("Property: " + property);
			assertThat(analysis.getAction()).contains(actionMentions);
		});
	}

}
