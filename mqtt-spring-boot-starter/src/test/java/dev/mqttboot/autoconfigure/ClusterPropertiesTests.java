package dev.mqttboot.autoconfigure;

import dev.mqttboot.broker.BrokerStartException;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code mqtt.broker.artemis.cluster.*} is checked before any port is bound: clustering on the wrong engine, a node without
 * members or without the cluster password, a member that is not host:port, fail the start-up naming the property.
 */
class ClusterPropertiesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, MqttBrokerAutoConfiguration.class))
		.withPropertyValues("mqtt.broker.host=127.0.0.1", "mqtt.broker.port=0", "mqtt.broker.artemis.cluster.enabled=true");

	@Test
	void clusteringOnMoquetteFailsTheStartUpNamingTheEngineProperty() {
		this.runner.withPropertyValues("mqtt.broker.artemis.cluster.members=127.0.0.1:61617",
				"mqtt.broker.artemis.cluster.password=secret")
			.run((context) -> assertRefused(context.getStartupFailure(), "mqtt.broker.artemis.cluster.enabled",
					"mqtt.broker.engine=artemis"));
	}

	@Test
	void aNodeWithoutMembersOrPasswordOrWithAMalformedMemberIsRefused() {
		ApplicationContextRunner artemis = this.runner.withPropertyValues("mqtt.broker.engine=artemis");
		artemis.withPropertyValues("mqtt.broker.artemis.cluster.password=secret")
			.run((context) -> assertRefused(context.getStartupFailure(), "mqtt.broker.artemis.cluster.members",
					"mqtt.broker.artemis.cluster.dns-name"));
		artemis.withPropertyValues("mqtt.broker.artemis.cluster.members=127.0.0.1:61617")
			.run((context) -> assertRefused(context.getStartupFailure(), "mqtt.broker.artemis.cluster.password",
					"shared by every node"));
		artemis.withPropertyValues("mqtt.broker.artemis.cluster.members=broker-1", "mqtt.broker.artemis.cluster.password=secret")
			.run((context) -> assertRefused(context.getStartupFailure(), "mqtt.broker.artemis.cluster.members[0]",
					"host:port"));
		artemis.withPropertyValues("mqtt.broker.artemis.cluster.members=127.0.0.1:61617", "mqtt.broker.artemis.cluster.password=s",
				"mqtt.broker.artemis.cluster.ha.role=backup")
			.run((context) -> assertRefused(context.getStartupFailure(), "mqtt.broker.artemis.cluster.ha.group",
					"primary this node backs up"));
	}

	private static void assertRefused(Throwable failure, String property, String advice) {
		assertThat(failure).isNotNull();
		Throwable cause = failure;
		while (cause != null && !(cause instanceof BrokerStartException)) {
			cause = cause.getCause();
		}
		assertThat(cause).as("a BrokerStartException in " + failure).isNotNull();
		BrokerStartException refusal = (BrokerStartException) cause;
		assertThat(refusal.getProperty()).isEqualTo(property);
		assertThat(refusal.getMessage() + " " + refusal.getAction()).contains(advice);
	}

}
