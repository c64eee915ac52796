package dev.mqttboot.broker;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.mqttboot.support.MqttPackets;
import dev.mqttboot.support.Paho;
import dev.mqttboot.support.RawMqttClient;
import dev.mqttboot.support.TestBroker;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Keep-alive over real sockets: silent clients are closed at 1.5x their keep-alive, and the broker's ceiling
 * (2 s here) applies to clients that ask for none or for more. Only lower bounds are asserted exactly; upper bounds
 * are generous, so a slow machine cannot fail these tests.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(BrokerEngine.class)
class KeepAliveTests {

	@Parameter
	BrokerEngine engine;

	private static TestBroker broker;

	private static final List<BrokerEvent> events = new CopyOnWriteArrayList<>();

	@BeforeParameterizedClassInvocation
	static void start(BrokerEngine engine) {
		broker = TestBroker.start(engine, "mqtt.broker.max-keep-alive=2s");
		broker.broker().addListener(events::add);
	}

	@AfterParameterizedClassInvocation
	static void stop() {
		broker.close();
	}

	@Test
	void aSilentClientIsClosedAfterOneAndAHalfTimesItsKeepAlive() throws Exception {
		try (RawMqttClient client = new RawMqttClient(broker.port())) {
			assertThat(client.connect("silent-1s", 1)).isZero();
			long connected = System.nanoTime();
			assertThat(client.closedWithin(Duration.ofSeconds(15))).isTrue();
			assertThat(Duration.ofNanos(System.nanoTime() - connected)).isGreaterThanOrEqualTo(Duration.ofMillis(1400));
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> events.contains(
				new BrokerEvent.ClientDisconnected("silent-1s", BrokerEvent.DisconnectReason.KEEPALIVE)));
	}

	@Test
	void aClientThatPingsInTimeStaysConnected() throws Exception {
		try (RawMqttClient client = new RawMqttClient(broker.port())) {
			assertThat(client.connect("pinging", 1)).isZero();
			for (int i = 0; i < 6; i++) {
				client.send(MqttPackets.pingreq());
				assertThat(client.expect(MqttPackets.PINGRESP, Duration.ofSeconds(5))).isNotNull();
				assertThat(client.closedWithin(Duration.ofMillis(500))).isFalse();
			}
		}
	}

	@Test
	void theCeilingClosesAClientThatAskedForNoKeepAliveAndPublishesItsWill() throws Exception {
		assertCeilingApplies("no-keepalive", 0);
	}

	@Test
	void theCeilingClosesAClientThatAskedForMoreThanTheCeiling() throws Exception {
		assertCeilingApplies("long-keepalive", 600);
	}

	private void assertCeilingApplies(String clientId, int requestedKeepAlive) throws Exception {
		// The watcher pings within the ceiling; with Paho's usual 30 s it would itself be closed at 3 s.
		MqttConnectOptions withinCeiling = Paho.options();
		withinCeiling.setKeepAliveInterval(1);
		try (Paho watcher = Paho.connect(broker.tcpUrl(), clientId + "-watcher", withinCeiling)) {
			watcher.subscribe("wills/" + clientId, 1);
			try (RawMqttClient client = new RawMqttClient(broker.port())) {
				client.send(MqttPackets.connect(clientId, requestedKeepAlive, true, "wills/" + clientId, "gone", 1,
						null, null));
				client.expect(MqttPackets.CONNACK, Duration.ofSeconds(10));
				long connected = System.nanoTime();
				ConnectedClient listed = broker.broker().connectedClients().stream()
					.filter((c) -> c.clientId().equals(clientId)).findFirst().orElseThrow();
				assertThat(listed.requestedKeepAlive()).isEqualTo(requestedKeepAlive);
				assertThat(listed.keepAlive()).isEqualTo(2);
				assertThat(client.closedWithin(Duration.ofSeconds(20))).isTrue();
				assertThat(Duration.ofNanos(System.nanoTime() - connected))
					.isGreaterThanOrEqualTo(Duration.ofMillis(2900));
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> !watcher.received().isEmpty());
			assertThat(watcher.payloads()).containsExactly("gone");
		}
	}

	@Test
	void aClientWithinTheCeilingKeepsItsOwnKeepAlive() throws Exception {
		try (RawMqttClient client = new RawMqttClient(broker.port())) {
			assertThat(client.connect("within-ceiling", 1)).isZero();
			ConnectedClient listed = broker.broker().connectedClients().stream()
				.filter((c) -> c.clientId().equals("within-ceiling")).findFirst().orElseThrow();
			assertThat(listed.keepAlive()).isEqualTo(1);
			assertThat(listed.requestedKeepAlive()).isEqualTo(1);
		}
	}

	@Test
	void aConnectionThatNeverSendsConnectIsClosedAfterTheConnectTimeout() throws Exception {
		try (TestBroker shortTimeout = TestBroker.start(this.engine, "mqtt.broker.connect-timeout=1s");
				RawMqttClient client = new RawMqttClient(shortTimeout.port())) {
			assertThat(client.closedWithin(Duration.ofSeconds(15))).isTrue();
		}
	}

}
