package dev.mqttboot.autoconfigure;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import dev.mqttboot.broker.BrokerSettings;
import dev.mqttboot.broker.MqttBroker;
import dev.mqttboot.broker.MqttBrokerCustomizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The properties that bound memory and decide durability belong to one engine each ({@code max-queued-messages} and
 * {@code persistence.autosave-interval} to Moquette, {@code max-memory} and {@code persistence.sync} to Artemis): set
 * for the other engine, they fail the start-up naming the property and what to use instead, rather than being
 * ignored.
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
		this.runner.withPropertyValues("mqtt.broker.max-queued-messages=50")
			.withBean(MqttBrokerCustomizer.class, () -> (engine) -> seen.set(engine.settings()))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(seen.get().queueLimits().maxQueuedMessages()).isEqualTo(50);
			});
		this.runner
			.withPropertyValues("mqtt.broker.engine=artemis", "mqtt.broker.max-memory=64MB",
					"mqtt.broker.persistence.enabled=true", "mqtt.broker.persistence.directory=" + this.directory,
					"mqtt.broker.persistence.sync=every-message")
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
	void aMoquetteLimitOnArtemisFailsNamingThePropertyToUseInstead() {
		assertRefused("mqtt.broker.max-queued-messages", "mqtt.broker.max-memory", "mqtt.broker.engine=artemis",
				"mqtt.broker.max-queued-messages=100");
		assertRefused("mqtt.broker.persistence.autosave-interval", "mqtt.broker.persistence.sync",
				"mqtt.broker.engine=artemis", "mqtt.broker.persistence.autosave-interval=5s");
	}

	@Test
	void anArtemisSettingOnMoquetteFailsNamingThePropertyToUseInstead() {
		assertRefused("mqtt.broker.max-memory", "mqtt.broker.max-queued-messages", "mqtt.broker.max-memory=64MB");
		assertRefused("mqtt.broker.persistence.sync", "mqtt.broker.persistence.autosave-interval",
				"mqtt.broker.persistence.sync=none");
	}

	@Test
	void outOfRangeLimitsFailNamingTheAcceptedValues() {
		assertRefused("mqtt.broker.max-queued-messages", "1 to 100000000", "mqtt.broker.max-queued-messages=0");
		assertRefused("mqtt.broker.max-memory", "256MB", "mqtt.broker.engine=artemis", "mqtt.broker.max-memory=10KB");
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
