package dev.mqttboot.metrics;

import java.time.Duration;

import dev.mqttboot.actuate.BrokerHealthIndicator;
import dev.mqttboot.test.MqttConnectRefusedException;
import dev.mqttboot.test.MqttTestClient;
import dev.mqttboot.test.MqttTestOptions;
import dev.mqttboot.support.RawMqttClient;
import dev.mqttboot.support.TestBroker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.moquette.broker.Server;
import io.moquette.broker.SessionLoopSabotage;
import dev.mqttboot.broker.BrokerEngine;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Known traffic in, exact meter values out; and the broker's health, including DOWN after an engine failure.
 */
class BrokerMetricsTests {

	@ParameterizedTest(name = "{0}")
	@EnumSource(BrokerEngine.class)
	void metersCountExactlyTheTrafficDriven(BrokerEngine engine) throws Exception {
		try (TestBroker broker = TestBroker.start(engine, "mqtt.broker.max-keep-alive=30s", "mqtt.broker.users[0].name=u",
				"mqtt.broker.users[0].password={noop}p")) {
			MeterRegistry registry = new SimpleMeterRegistry();
			broker.context().getBean(BrokerMetrics.class).bindTo(registry);
			try (MqttTestClient subscriber = MqttTestClient.connect(broker.tcpUrl(), "metrics-sub", keepAlive(10))) {
				subscriber.subscribe("m/#", 2);
				try (MqttTestClient publisher = MqttTestClient.connect(broker.tcpUrl(), "metrics-pub", keepAlive(20))) {
					for (int qos = 0; qos <= 2; qos++) {
						for (int i = 0; i < 3; i++) {
							publisher.publish("m/" + qos, "x", qos, false);
						}
					}
					publisher.publish("m/retained", "r", 1, true);
					await().atMost(Duration.ofSeconds(10)).until(() -> subscriber.received().size() >= 10);
				}
				// One killed without DISCONNECT, one closed by keep-alive expiry, one refused login.
				RawMqttClient killed = new RawMqttClient(broker.port());
				assertThat(killed.connect("killed", 0)).isZero();
				killed.close();
				try (RawMqttClient silent = new RawMqttClient(broker.port())) {
					assertThat(silent.connect("silent", 1)).isZero();
					assertThat(silent.closedWithin(Duration.ofSeconds(15))).isTrue();
				}
				MqttTestOptions wrong = new MqttTestOptions();
				wrong.credentials("u", "wrong");
				assertThatExceptionOfType(MqttConnectRefusedException.class)
					.isThrownBy(() -> MqttTestClient.connect(broker.tcpUrl(), "refused", wrong));
				await().atMost(Duration.ofSeconds(10))
					.until(() -> count(registry, "mqtt.broker.disconnects", "reason", "lost") == 1
							&& count(registry, "mqtt.broker.disconnects", "reason", "keepalive") == 1
							&& count(registry, "mqtt.broker.messages.received", "qos", "2") == 3);
				assertThat(count(registry, "mqtt.broker.connects", "outcome", "accepted")).isEqualTo(4);
				assertThat(count(registry, "mqtt.broker.connects", "outcome", "rejected")).isEqualTo(1);
				assertThat(count(registry, "mqtt.broker.auth.failures", null, null)).isEqualTo(1);
				assertThat(count(registry, "mqtt.broker.disconnects", "reason", "client")).isEqualTo(1);
				assertThat(count(registry, "mqtt.broker.disconnects", "reason", "server")).isZero();
				assertThat(count(registry, "mqtt.broker.messages.received", "qos", "0")).isEqualTo(3);
				assertThat(count(registry, "mqtt.broker.messages.received", "qos", "1")).isEqualTo(4);
				assertThat(count(registry, "mqtt.broker.publishes.retained", null, null)).isEqualTo(1);
				assertThat(count(registry, "mqtt.broker.subscribes", "qos", "2")).isEqualTo(1);
				assertThat(registry.get("mqtt.broker.connections").gauge().value()).isEqualTo(1);
				assertThat(registry.get("mqtt.broker.keepalive.ceiling").gauge().value()).isEqualTo(30);
				var keepAlive = registry.get("mqtt.broker.keepalive").summary();
				assertThat(keepAlive.count()).isEqualTo(4);
				assertThat(keepAlive.totalAmount()).isEqualTo(10 + 20 + 0 + 1);
				assertThat(keepAlive.max()).isEqualTo(20);
			}
		}
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource(BrokerEngine.class)
	void anEngineFailureIsCountedAndTurnsTheBrokerHealthDown(BrokerEngine engine) throws Exception {
		try (TestBroker broker = TestBroker.start(engine)) {
			MeterRegistry registry = new SimpleMeterRegistry();
			broker.context().getBean(BrokerMetrics.class).bindTo(registry);
			HealthIndicator health = (HealthIndicator) broker.context()
				.getBean("mqttHealthContributor", CompositeHealthContributor.class)
				.getContributor("broker");
			assertThat(health).isInstanceOf(BrokerHealthIndicator.class);
			assertThat(health.health().getStatus()).isEqualTo(Status.UP);
			assertThat(health.health().getDetails()).containsEntry("connections", 0)
				.containsKey("ports");
			String expected = sabotage(engine, broker);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> health.health().getStatus().equals(Status.DOWN)
						&& count(registry, "mqtt.broker.session.loop.errors", null, null) == 1);
			assertThat(health.health().getDetails().get("error").toString()).contains(expected);
		}
	}

	/** Break the engine from inside; @return what the reported failure says */
	private static String sabotage(BrokerEngine engine, TestBroker broker) throws Exception {
		Object server = ReflectionTestUtils.getField(broker.broker(), "server");
		if (engine == BrokerEngine.MOQUETTE) {
			SessionLoopSabotage.killLoopOf((Server) server, "victim");
			return "simulated engine failure";
		}
		// What Artemis does on a critical failure: it stops itself.
		((org.apache.activemq.artemis.core.server.ActiveMQServer) server).stop();
		return "stopped on its own";
	}

	private static MqttTestOptions keepAlive(int seconds) {
		MqttTestOptions options = new MqttTestOptions();
		options.keepAlive(Duration.ofSeconds(seconds));
		options.credentials("u", "p");
		return options;
	}

	private static double count(MeterRegistry registry, String name, String tag, String value) {
		var search = registry.get(name);
		if (tag != null) {
			search = search.tag(tag, value);
		}
		return search.counter().count();
	}

}
