package dev.mqttboot.broker;

import java.time.Duration;
import java.util.Map;

import dev.mqttboot.support.MqttJs;
import dev.mqttboot.test.MqttTestClient;
import dev.mqttboot.test.MqttTestOptions;
import dev.mqttboot.support.TestBroker;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * MQTT.js, the npm package {@code mqtt}, against the embedded broker over TCP and WebSocket. Skipped (with a message)
 * where Node.js or the package is missing; CI installs them.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(BrokerEngine.class)
class MqttJsInteropTests {

	@Parameter
	BrokerEngine engine;

	private static final Map<String, String> DEVICE = Map.of("MQTT_USERNAME", "device", "MQTT_PASSWORD",
			"device-secret");

	private static TestBroker broker;

	@BeforeParameterizedClassInvocation
	static void start(BrokerEngine engine) {
		MqttJs.assumeInstalled();
		broker = TestBroker.start(engine, "mqtt.broker.websocket.port=0", "mqtt.broker.allow-anonymous=false",
				"mqtt.broker.users[0].name=device", "mqtt.broker.users[0].password={noop}device-secret");
	}

	@AfterParameterizedClassInvocation
	static void stop() {
		if (broker != null) {
			broker.close();
		}
	}

	@Test
	void mqttJsPublishesAtEachQosOverTcpToAPahoSubscriber() throws Exception {
		try (MqttTestClient subscriber = MqttTestClient.connect(broker.tcpUrl(), "paho-for-mqttjs", credentials())) {
			subscriber.subscribe("mqttjs/tcp/#", 2);
			for (int qos = 0; qos <= 2; qos++) {
				MqttJs.Result result = MqttJs.publish(broker.tcpUrl().replace("tcp:", "mqtt:"), "mqttjs/tcp/qos" + qos,
						qos, "from mqtt.js at qos " + qos, false, DEVICE);
				assertThat(result.exitCode()).as(result.output()).isZero();
			}
			// Three processes, three connections: MQTT orders messages per connection only.
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(subscriber.received())
				.extracting(MqttTestClient.Received::text, MqttTestClient.Received::qos)
				.containsExactlyInAnyOrder(tuple("from mqtt.js at qos 0", 0), tuple("from mqtt.js at qos 1", 1),
						tuple("from mqtt.js at qos 2", 2)));
		}
	}

	@Test
	void mqttJsSubscribedOverWebSocketGetsMessagesAtTheirQos() throws Exception {
		String url = "ws://127.0.0.1:" + broker.broker().ports().websocket() + "/mqtt";
		try (MqttTestClient publisher = MqttTestClient.connect(broker.tcpUrl(), "paho-to-mqttjs-ws", credentials());
				MqttJs.Subscriber subscriber = MqttJs.subscribe(url, "mqttjs/ws/#", 2, 3, Duration.ofSeconds(20),
						DEVICE)) {
			assertThat(subscriber.lines()).as("subscribed").anyMatch((line) -> line.equals("ready [2]"));
			publisher.publish("mqttjs/ws/live0", "live-at-0", 0, false);
			publisher.publish("mqttjs/ws/live1", "live-at-1", 1, false);
			publisher.publish("mqttjs/ws/live2", "live-at-2", 2, false);
			assertThat(subscriber.awaitExit(Duration.ofSeconds(30))).as(subscriber.lines().toString()).isZero();
			assertThat(subscriber.messages()).containsExactly(
					"{\"topic\":\"mqttjs/ws/live0\",\"payload\":\"live-at-0\",\"qos\":0,\"retain\":false}",
					"{\"topic\":\"mqttjs/ws/live1\",\"payload\":\"live-at-1\",\"qos\":1,\"retain\":false}",
					"{\"topic\":\"mqttjs/ws/live2\",\"payload\":\"live-at-2\",\"qos\":2,\"retain\":false}");
		}
	}

	@Test
	void aNewMqttJsSubscriberGetsTheRetainedMessageFlaggedRetained() throws Exception {
		try (MqttTestClient publisher = MqttTestClient.connect(broker.tcpUrl(), "paho-retains", credentials())) {
			publisher.publish("mqttjs/retained/status", "retained-hello", 1, true);
		}
		// At QoS 0: Moquette 0.17 clears RETAIN on retained messages it replays at QoS 1/2 (see docs/embedded-broker.md).
		try (MqttJs.Subscriber subscriber = MqttJs.subscribe(broker.tcpUrl().replace("tcp:", "mqtt:"),
				"mqttjs/retained/#", 0, 1, Duration.ofSeconds(20), DEVICE)) {
			assertThat(subscriber.awaitExit(Duration.ofSeconds(30))).as(subscriber.lines().toString()).isZero();
			assertThat(subscriber.messages()).containsExactly(
					"{\"topic\":\"mqttjs/retained/status\",\"payload\":\"retained-hello\",\"qos\":0,\"retain\":true}");
		}
	}

	@Test
	void mqttJsWithAWrongPasswordIsRefused() throws Exception {
		MqttJs.Result result = MqttJs.publish(broker.tcpUrl().replace("tcp:", "mqtt:"), "mqttjs/denied", 0, "x",
				false, Map.of("MQTT_USERNAME", "device", "MQTT_PASSWORD", "wrong"));
		assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
		assertThat(result.output()).containsIgnoringCase("bad username or password");
	}

	@Test
	void mqttJsAskingForMqtt5IsServedByArtemisAndRefusedByMoquette() throws Exception {
		MqttJs.Result result = MqttJs.publish(broker.tcpUrl().replace("tcp:", "mqtt:"), "mqttjs/v5", 0, "x", false,
				Map.of("MQTT_USERNAME", "device", "MQTT_PASSWORD", "device-secret", "MQTT_PROTOCOL_VERSION", "5"));
		if (this.engine == BrokerEngine.ARTEMIS) {
			assertThat(result.exitCode()).as(result.output()).isZero();
		}
		else {
			assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
			assertThat(result.output()).startsWith("error:");
		}
	}

	private static MqttTestOptions credentials() {
		MqttTestOptions options = new MqttTestOptions();
		options.credentials("device", "device-secret");
		return options;
	}

}
