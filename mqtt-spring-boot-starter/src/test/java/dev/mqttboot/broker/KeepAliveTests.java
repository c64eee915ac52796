package dev.mqttboot.broker;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.mqttboot.support.MqttPackets;
import dev.mqttboot.test.MqttTestClient;
import dev.mqttboot.test.MqttTestOptions;
import dev.mqttboot.support.RawMqttClient;
import dev.mqttboot.support.SchedulingStalls;
import dev.mqttboot.support.TestBroker;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Keep-alive over real sockets: silent clients are closed between 1.5x their keep-alive and half a second later, and
 * the broker's ceiling (2 s here) applies to clients that ask for none or for more. The upper bound grows by the time
 * this JVM was measured stalled, so a slow machine cannot fail these tests; a broker that checks late still does.
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

	@ParameterizedTest(name = "keep-alive {0} s")
	@ValueSource(ints = { 1, 2 })
	void aSilentClientIsClosedWithinHalfASecondOfOneAndAHalfTimesItsKeepAlive(int keepAlive) throws Exception {
		String clientId = "silent-" + keepAlive + "s";
		Duration due = Duration.ofMillis(1500L * keepAlive);
		try (SchedulingStalls stalls = SchedulingStalls.watch();
				RawMqttClient client = new RawMqttClient(broker.port())) {
			long beforeConnect = System.nanoTime();
			assertThat(client.connect(clientId, keepAlive)).isZero();
			long connected = System.nanoTime();
			assertThat(client.closedWithin(Duration.ofSeconds(15))).isTrue();
			long closed = System.nanoTime();
			assertClosedOnTime(Duration.ofNanos(closed - connected), Duration.ofNanos(closed - beforeConnect), due,
					stalls.longest());
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> events.contains(
				new BrokerEvent.ClientDisconnected(clientId, BrokerEvent.DisconnectReason.KEEPALIVE)));
	}

	/**
	 * The broker may close a silent connection no sooner than its last packet plus 1.5x the keep-alive, and should
	 * not take more than half a second longer; the time this JVM was stalled meanwhile is added to that half second.
	 * @param sinceConnack from the CONNACK (after the broker's last packet from the client) to the close
	 * @param sinceConnect from before the CONNECT was sent (before the broker's last packet) to the close
	 */
	private static void assertClosedOnTime(Duration sinceConnack, Duration sinceConnect, Duration due,
			Duration stalled) {
		assertThat(sinceConnect).as("closed before 1.5x the keep-alive").isGreaterThanOrEqualTo(due);
		assertThat(sinceConnack).as("closed before 1.5x the keep-alive")
			.isGreaterThanOrEqualTo(due.minusMillis(100));
		assertThat(sinceConnect).as("closed more than 0.5 s after 1.5x the keep-alive (this JVM stalled %d ms)",
				stalled.toMillis())
			.isLessThanOrEqualTo(due.plusMillis(500).plus(stalled));
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
		MqttTestOptions withinCeiling = new MqttTestOptions();
		withinCeiling.keepAlive(Duration.ofSeconds(1));
		try (MqttTestClient watcher = MqttTestClient.connect(broker.tcpUrl(), clientId + "-watcher", withinCeiling)) {
			watcher.subscribe("wills/" + clientId, 1);
			try (SchedulingStalls stalls = SchedulingStalls.watch();
					RawMqttClient client = new RawMqttClient(broker.port())) {
				long beforeConnect = System.nanoTime();
				client.send(MqttPackets.connect(clientId, requestedKeepAlive, true, "wills/" + clientId, "gone", 1,
						null, null));
				client.expect(MqttPackets.CONNACK, Duration.ofSeconds(10));
				long connected = System.nanoTime();
				ConnectedClient listed = broker.broker().connectedClients().stream()
					.filter((c) -> c.clientId().equals(clientId)).findFirst().orElseThrow();
				assertThat(listed.requestedKeepAlive()).isEqualTo(requestedKeepAlive);
				assertThat(listed.keepAlive()).isEqualTo(2);
				assertThat(client.closedWithin(Duration.ofSeconds(20))).isTrue();
				long closed = System.nanoTime();
				assertClosedOnTime(Duration.ofNanos(closed - connected), Duration.ofNanos(closed - beforeConnect),
						Duration.ofSeconds(3), stalls.longest());
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
