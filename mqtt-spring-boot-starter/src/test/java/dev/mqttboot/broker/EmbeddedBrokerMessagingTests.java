package dev.mqttboot.broker;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import dev.mqttboot.support.MqttPackets;
import dev.mqttboot.test.MqttTestClient;
import dev.mqttboot.support.RawMqttClient;
import dev.mqttboot.support.TestBroker;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Publish/subscribe through the auto-configured embedded broker over plain TCP and WebSocket, with Paho v3.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(BrokerEngine.class)
class EmbeddedBrokerMessagingTests {

	@Parameter
	BrokerEngine engine;

	private static TestBroker broker;

	@BeforeParameterizedClassInvocation
	static void start(BrokerEngine engine) {
		broker = TestBroker.start(engine, "mqtt.broker.websocket.port=0");
	}

	@AfterParameterizedClassInvocation
	static void stop() {
		broker.close();
	}

	@ParameterizedTest(name = "QoS {0}")
	@ValueSource(ints = { 0, 1, 2 })
	void messagesPublishedAtEachQosReachAWildcardSubscriberExactlyOnceAndInOrder(int qos) throws Exception {
		try (MqttTestClient subscriber = MqttTestClient.connect(broker.tcpUrl(), "sub-qos" + qos);
				MqttTestClient publisher = MqttTestClient.connect(broker.tcpUrl(), "pub-qos" + qos)) {
			assertThat(subscriber.trySubscribe("qos" + qos + "/+/reading", qos)).isEqualTo(qos);
			List<String> sent = IntStream.range(0, 50).mapToObj((i) -> "m" + i).toList();
			for (String payload : sent) {
				publisher.publish("qos" + qos + "/sensor-1/reading", payload, qos, false);
			}
			await().atMost(Duration.ofSeconds(20)).until(() -> subscriber.received().size() >= sent.size());
			assertThat(subscriber.payloads()).containsExactlyElementsOf(sent);
			assertThat(subscriber.received()).allSatisfy((message) -> assertThat(message.qos()).isEqualTo(qos));
		}
	}

	@Test
	void aRetainedMessageIsDeliveredToALaterSubscriber() throws Exception {
		try (MqttTestClient publisher = MqttTestClient.connect(broker.tcpUrl(), "retain-pub")) {
			publisher.publish("status/device-7", "online", 1, true);
		}
		try (MqttTestClient subscriber = MqttTestClient.connect(broker.tcpUrl(), "retain-sub")) {
			subscriber.subscribe("status/#", 0);
			await().atMost(Duration.ofSeconds(10)).until(() -> !subscriber.received().isEmpty());
			assertThat(subscriber.received().get(0).text()).isEqualTo("online");
			assertThat(subscriber.received().get(0).retained()).isTrue();
		}
	}

	@Test
	void theLastWillIsPublishedWhenAClientDropsWithoutDisconnect() throws Exception {
		try (MqttTestClient subscriber = MqttTestClient.connect(broker.tcpUrl(), "will-watcher")) {
			subscriber.subscribe("devices/+/status", 1);
			RawMqttClient device = new RawMqttClient(broker.port());
			device.send(MqttPackets.connect("device-9", 30, true, "devices/device-9/status", "offline", 1, null,
					null));
			device.expect(MqttPackets.CONNACK, Duration.ofSeconds(10));
			device.close();
			await().atMost(Duration.ofSeconds(10)).until(() -> !subscriber.received().isEmpty());
			assertThat(subscriber.received().get(0).topic()).isEqualTo("devices/device-9/status");
			assertThat(subscriber.received().get(0).text()).isEqualTo("offline");
		}
	}

	@Test
	void theWillIsNotPublishedAfterACleanDisconnect() throws Exception {
		try (MqttTestClient subscriber = MqttTestClient.connect(broker.tcpUrl(), "clean-watcher")) {
			subscriber.subscribe("clean/+/status", 1);
			try (RawMqttClient device = new RawMqttClient(broker.port())) {
				device.send(MqttPackets.connect("device-clean", 30, true, "clean/device-clean/status", "offline", 1,
						null, null));
				device.expect(MqttPackets.CONNACK, Duration.ofSeconds(10));
				device.send(MqttPackets.disconnect());
				assertThat(device.closedWithin(Duration.ofSeconds(10))).isTrue();
			}
			// A marker published after the disconnect arrives; the will, had it been sent, would have come first.
			try (MqttTestClient marker = MqttTestClient.connect(broker.tcpUrl(), "clean-marker")) {
				marker.publish("clean/marker/status", "marker", 1, false);
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> !subscriber.received().isEmpty());
			assertThat(subscriber.payloads()).containsExactly("marker");
		}
	}

	@Test
	void messagesFlowOverWebSocket() throws Exception {
		String wsUrl = "ws://127.0.0.1:" + broker.broker().ports().websocket() + "/mqtt";
		try (MqttTestClient subscriber = MqttTestClient.connect(wsUrl, "ws-sub"); MqttTestClient publisher = MqttTestClient.connect(wsUrl, "ws-pub")) {
			subscriber.subscribe("ws/#", 2);
			publisher.publish("ws/hello", "over websocket", 2, false);
			await().atMost(Duration.ofSeconds(10)).until(() -> !subscriber.received().isEmpty());
			assertThat(subscriber.payloads()).containsExactly("over websocket");
		}
	}

	@Test
	void theBrokerListsConnectedClientsWithTheirAddressAndKeepAlive() throws Exception {
		try (MqttTestClient client = MqttTestClient.connect(broker.tcpUrl(), "listed-client")) {
			await().atMost(Duration.ofSeconds(5))
				.until(() -> broker.broker().connectedClients().stream()
					.anyMatch((c) -> c.clientId().equals("listed-client")));
			ConnectedClient listed = broker.broker().connectedClients().stream()
				.filter((c) -> c.clientId().equals("listed-client")).findFirst().orElseThrow();
			assertThat(listed.keepAlive()).isEqualTo(30);
			assertThat(listed.remoteAddress().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
			assertThat(listed.transport()).isEqualTo(Transport.MQTT);
			assertThat(listed.protocolLevel()).isEqualTo(4);
		}
	}

	@Test
	void theBoundPortIsPublishedAsLocalMqttPort() {
		assertThat(broker.context().getEnvironment().getProperty("local.mqtt.port", Integer.class))
			.isEqualTo(broker.port())
			.isPositive();
		assertThat(broker.context().getEnvironment().getProperty("local.mqtt.websocket-port", Integer.class))
			.isEqualTo(broker.broker().ports().websocket());
	}

}
