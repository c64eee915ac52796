package dev.mqttboot.client;

import dev.mqttboot.core.MqttProtocolVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.mqttboot.support.MosquittoBroker;
import dev.mqttboot.support.ReceivingV5Callback;
import dev.mqttboot.support.TestBroker;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * MQTT 5 client connections against a real Mosquitto: properties travel end to end, and the connection survives a
 * broker restart with its subscriptions restored.
 */
class Mqtt5InteropTests {

	@TempDir
	Path directory;

	@Test
	void userPropertiesResponseTopicCorrelationDataAndContentTypeReachASubscriber() throws Exception {
		try (MosquittoBroker mosquitto = MosquittoBroker.start(this.directory);
				TestBroker app = TestBroker.startWithClients("mqtt.broker.enabled=false",
						"mqtt.client.url=" + mosquitto.url(), "mqtt.client.protocol-version=5")) {
			MqttConnection connection = app.bean(MqttConnections.class).get("default");
			await().atMost(Duration.ofSeconds(10)).until(connection::isConnected);
			assertThat(connection.protocolVersion()).isEqualTo(MqttProtocolVersion.V5);
			List<MqttMessage> received = new CopyOnWriteArrayList<>();
			MqttClient subscriber = v5Subscriber(mosquitto.url(), "v5/#", received);
			try {
				app.bean(MqttOperations.class).publishAndWait("v5/request", "ping",
						PublishOptions.builder()
							.qos(1)
							.userProperty("tenant", "greenhouse-7")
							.responseTopic("v5/replies/42")
							.correlationData("req-42".getBytes(StandardCharsets.UTF_8))
							.contentType("text/plain")
							.build(),
						Duration.ofSeconds(10));
				app.bean(MqttOperations.class).publishAndWait("v5/json", new Sample("a", 1),
						PublishOptions.qos(1), Duration.ofSeconds(10));
				await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= 2);
				MqttProperties request = received.get(0).getProperties();
				assertThat(new String(received.get(0).getPayload(), StandardCharsets.UTF_8)).isEqualTo("ping");
				assertThat(request.getUserProperties()).singleElement().satisfies((property) -> {
					assertThat(property.getKey()).isEqualTo("tenant");
					assertThat(property.getValue()).isEqualTo("greenhouse-7");
				});
				assertThat(request.getResponseTopic()).isEqualTo("v5/replies/42");
				assertThat(new String(request.getCorrelationData(), StandardCharsets.UTF_8)).isEqualTo("req-42");
				assertThat(request.getContentType()).isEqualTo("text/plain");
				assertThat(received.get(1).getProperties().getContentType()).isEqualTo("application/json");
			}
			finally {
				subscriber.disconnect();
				subscriber.close();
			}
		}
	}

	@Test
	void aBurstBeyondTheBrokersReceiveMaximumWaitsForAcknowledgements() throws Exception {
		// Mosquitto announces its max_inflight_messages as Receive Maximum; Paho refuses publishes beyond it.
		try (MosquittoBroker mosquitto = MosquittoBroker.start(this.directory, "max_inflight_messages 5");
				TestBroker app = TestBroker.startWithClients("mqtt.broker.enabled=false",
						"mqtt.client.url=" + mosquitto.url(), "mqtt.client.protocol-version=5")) {
			MqttConnection connection = app.bean(MqttConnections.class).get("default");
			await().atMost(Duration.ofSeconds(10)).until(connection::isConnected);
			List<java.util.concurrent.CompletableFuture<Void>> futures = new java.util.ArrayList<>();
			for (int i = 0; i < 300; i++) {
				futures.add(app.bean(MqttOperations.class).publish("v5/burst", "m" + i, PublishOptions.qos(1)));
			}
			java.util.concurrent.CompletableFuture.allOf(futures.toArray(java.util.concurrent.CompletableFuture[]::new))
				.get(30, java.util.concurrent.TimeUnit.SECONDS);
			assertThat(futures).allSatisfy((future) -> assertThat(future).isCompleted());
			assertThat(connection.inflight()).isZero();
		}
	}

	@Test
	void aV5ConnectionReconnectsAfterAMosquittoRestartAndItsSubscriptionWorksAgain() throws Exception {
		try (MosquittoBroker mosquitto = MosquittoBroker.start(this.directory);
				TestBroker app = TestBroker.startWithClients("mqtt.broker.enabled=false",
						"mqtt.client.url=" + mosquitto.url(), "mqtt.client.protocol-version=5",
						"mqtt.client.reconnect.initial-delay=100ms", "mqtt.client.reconnect.max-delay=500ms")) {
			MqttConnection connection = app.bean(MqttConnections.class).get("default");
			await().atMost(Duration.ofSeconds(10)).until(connection::isConnected);
			List<String> received = new CopyOnWriteArrayList<>();
			connection.subscribe("restart/#", 1, (message) -> received.add(new String(message.payload(),
					StandardCharsets.UTF_8)));
			mosquitto.stopProcess();
			await().atMost(Duration.ofSeconds(10)).until(() -> !connection.isConnected());
			mosquitto.startProcess();
			await().atMost(Duration.ofSeconds(10)).until(connection::isConnected);
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				app.bean(MqttOperations.class).publishAndWait("restart/x", "back", PublishOptions.qos(1),
						Duration.ofSeconds(5));
				assertThat(received).contains("back");
			});
		}
	}

	private static MqttClient v5Subscriber(String url, String filter, List<MqttMessage> received)
			throws MqttException {
		MqttClient client = new MqttClient(url, "v5-subscriber", new MemoryPersistence());
		client.setCallback(new ReceivingV5Callback(received::add));
		client.connect(new MqttConnectionOptions());
		client.subscribe(filter, 1);
		return client;
	}

	record Sample(String name, int value) {
	}

}
