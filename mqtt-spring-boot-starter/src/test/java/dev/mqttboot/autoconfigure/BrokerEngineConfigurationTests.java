package dev.mqttboot.autoconfigure;

import dev.mqttboot.broker.BrokerStartException;
import dev.mqttboot.broker.MqttBroker;
import dev.mqttboot.broker.MqttBrokerCustomizer;
import dev.mqttboot.broker.artemis.ArtemisBroker;
import dev.mqttboot.broker.moquette.MoquetteBroker;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code mqtt.broker.engine}: which engine runs, and what happens when its libraries are missing or the value is
 * unknown.
 */
class BrokerEngineConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, MqttBrokerAutoConfiguration.class))
		.withPropertyValues("mqtt.broker.host=127.0.0.1", "mqtt.broker.port=0");

	@Test
	void moquetteIsTheDefault() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(MoquetteBroker.class)
			.doesNotHaveBean(ArtemisBroker.class));
	}

	@Test
	void artemisRunsWhenChosenAndBindsARandomPort() {
		this.runner.withPropertyValues("mqtt.broker.engine=artemis").run((context) -> {
			assertThat(context).hasSingleBean(ArtemisBroker.class).doesNotHaveBean(MoquetteBroker.class);
			MqttBroker broker = context.getBean(MqttBroker.class);
			assertThat(broker.isRunning()).isTrue();
			assertThat(broker.ports().mqtt()).isPositive();
			assertThat(broker.supportsSharedSubscriptions()).isTrue();
			assertThat(context.getEnvironment().getProperty("local.mqtt.port"))
				.isEqualTo(String.valueOf(broker.ports().mqtt()));
		});
	}

	@Test
	void artemisChosenWithoutItsLibrariesFailsNamingThePropertyAndTheArtifact() {
		this.runner.withPropertyValues("mqtt.broker.engine=artemis")
			.withClassLoader(new FilteredClassLoader("org.apache.activemq"))
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause().isInstanceOf(BrokerStartException.class);
				var analysis = new MqttStartupFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("Property: mqtt.broker.engine");
				assertThat(analysis.getAction()).contains("mqtt-spring-boot-starter-artemis");
			});
	}

	@Test
	void moquetteNamedWithoutItsLibrariesFailsButTheDefaultBacksOff() {
		FilteredClassLoader noMoquette = new FilteredClassLoader("io.moquette");
		this.runner.withPropertyValues("mqtt.broker.engine=moquette").withClassLoader(noMoquette).run((context) -> {
			assertThat(context).hasFailed();
			var analysis = new MqttStartupFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis.getAction()).contains("mqtt-spring-boot-starter-moquette");
		});
		this.runner.withClassLoader(noMoquette)
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(MqttBroker.class));
	}

	@Test
	void anUnknownEngineFailsNamingTheProperty() {
		this.runner.withPropertyValues("mqtt.broker.engine=hivemq").run((context) -> {
			assertThat(context).hasFailed();
			Throwable failure = context.getStartupFailure();
			while (failure != null && !(failure instanceof BindException)) {
				failure = failure.getCause();
			}
			assertThat(failure).isInstanceOf(BindException.class);
			assertThat(((BindException) failure).getProperty().getName()).hasToString("mqtt.broker.engine");
		});
	}

	@Test
	void anArtemisCustomizerReachesArtemisBrokerPropertiesButNotWhatThePropertiesOwn() {
		this.runner.withPropertyValues("mqtt.broker.engine=artemis")
			.withBean(MqttBrokerCustomizer.class, () -> (engine) -> {
				assertThat(engine.engine()).isEqualTo("artemis");
				engine.set("journalFileSize", "1048576");
			})
			.run((context) -> assertThat(context).hasNotFailed());
		this.runner.withPropertyValues("mqtt.broker.engine=artemis")
			.withBean(MqttBrokerCustomizer.class, () -> (engine) -> engine.set("persistenceEnabled", "true"))
			.run((context) -> {
				var analysis = new MqttStartupFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("Property: mqtt.broker.persistence.enabled");
			});
	}

}
