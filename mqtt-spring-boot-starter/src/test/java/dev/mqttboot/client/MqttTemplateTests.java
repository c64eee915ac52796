package dev.mqttboot.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.mqttboot.broker.BrokerEvent;
import dev.mqttboot.test.MqttTestClient;
import dev.mqttboot.support.SilentBroker;
import dev.mqttboot.support.TestBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * {@link MqttTemplate} on the default connection, which goes to the embedded broker when no URL is configured.
 */
class MqttTemplateTests {

	private static TestBroker app;

	private static final List<BrokerEvent.MessagePublished> published = new CopyOnWriteArrayList<>();

	@BeforeAll
	static void start() {
		app = TestBroker.startWithClients("spring.application.name=template-test");
		app.broker().addListener((event) -> {
			if (event instanceof BrokerEvent.MessagePublished message) {
				published.add(message);
			}
		});
		await().atMost(Duration.ofSeconds(10)).until(() -> app.bean(MqttConnections.class).get("default").isConnected());
	}

	@AfterAll
	static void stop() {
		app.close();
	}

	@ParameterizedTest(name = "QoS {0}")
	@ValueSource(ints = { 0, 1, 2 })
	void publishAtEachQosIsAcknowledgedAndDelivered(int qos) throws Exception {
		MqttOperations template = app.bean(MqttOperations.class);
		try (MqttTestClient subscriber = MqttTestClient.connect(app.tcpUrl(), "template-sub-" + qos)) {
			subscriber.subscribe("template/" + qos, 2);
			template.publish("template/" + qos, "hello at " + qos, PublishOptions.qos(qos)).get();
			await().atMost(Duration.ofSeconds(10)).until(() -> !subscriber.received().isEmpty());
			assertThat(subscriber.payloads()).containsExactly("hello at " + qos);
			assertThat(subscriber.received().get(0).qos()).isEqualTo(qos);
		}
	}

	@Test
	void theDefaultClientIdIsTheApplicationNameWithASuffix() {
		MqttConnection connection = app.bean(MqttConnections.class).get("default");
		assertThat(connection.clientId()).matches("template-test-[0-9a-f]{6}");
		assertThat(connection.url()).isEqualTo(app.tcpUrl());
		assertThat(app.broker().connectedClients()).anySatisfy(
				(client) -> assertThat(client.clientId()).isEqualTo(connection.clientId()));
	}

	@Test
	void objectsArePublishedAsJsonAndStringsAsUtf8() throws Exception {
		MqttOperations template = app.bean(MqttOperations.class);
		try (MqttTestClient subscriber = MqttTestClient.connect(app.tcpUrl(), "json-sub")) {
			subscriber.subscribe("json/#", 1);
			template.publish("json/reading", new Reading("zone-1", 21.5)).get();
			template.publish("json/text", "grüße").get();
			await().atMost(Duration.ofSeconds(10)).until(() -> subscriber.received().size() >= 2);
			assertThat(subscriber.payloads()).containsExactly("{\"zone\":\"zone-1\",\"celsius\":21.5}", "grüße");
		}
	}

	@Test
	void badInputIsRefusedBeforeAnythingIsSent() {
		MqttOperations template = app.bean(MqttOperations.class);
		int before = published.size();
		assertThatIllegalArgumentException().isThrownBy(() -> template.publish("sensors/+/temp", "x"))
			.withMessageContaining("wildcard");
		assertThatIllegalArgumentException().isThrownBy(() -> template.publish("", "x"))
			.withMessageContaining("empty");
		assertThatIllegalArgumentException().isThrownBy(() -> template.publish("a", "x", PublishOptions.qos(3)))
			.withMessageContaining("QoS must be 0, 1 or 2");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> template.publish("a", new byte[256 * 1024 + 1]))
			.withMessageContaining("over the 262144-byte maximum");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> template.publish("a", "x",
					PublishOptions.builder().userProperty("k", "v").build()))
			.withMessageContaining("need MQTT 5");
		assertThat(published).hasSize(before);
	}

	@ParameterizedTest(name = "QoS {0}")
	@ValueSource(ints = { 1, 2 })
	void aBurstBeyondMaxInflightWaitsForAcknowledgementsInsteadOfFailing(int qos) throws Exception {
		MqttOperations template = app.bean(MqttOperations.class);
		int burst = 1000;
		try (MqttTestClient subscriber = MqttTestClient.connect(app.tcpUrl(), "burst-sub-" + qos)) {
			subscriber.subscribe("burst/" + qos, qos);
			List<CompletableFuture<Void>> futures = new java.util.ArrayList<>();
			for (int i = 0; i < burst; i++) {
				futures.add(template.publish("burst/" + qos, "m" + i, PublishOptions.qos(qos)));
			}
			CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(30, java.util.concurrent.TimeUnit.SECONDS);
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(subscriber.received()).hasSize(burst));
			assertThat(subscriber.payloads()).doesNotHaveDuplicates();
		}
	}

	@Test
	void forClientNamesAnUnknownConnectionClearly() {
		assertThatIllegalArgumentException().isThrownBy(() -> app.bean(MqttOperations.class).forClient("nope"))
			.withMessageContaining("No MQTT client connection named 'nope'")
			.withMessageContaining("[default]");
	}

	@Test
	void theFutureCompletesOnlyWhenTheBrokerAcknowledges() throws Exception {
		try (SilentBroker silent = new SilentBroker();
				TestBroker client = TestBroker.startWithClients("mqtt.broker.enabled=false",
						"mqtt.client.url=tcp://127.0.0.1:" + silent.port())) {
			MqttConnections connections = client.bean(MqttConnections.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> connections.get("default").isConnected());
			CompletableFuture<Void> sent = client.bean(MqttOperations.class).publish("ack/me", "x",
					PublishOptions.qos(1));
			int packetId = silent.nextPublishedPacketId();
			await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !sent.isDone());
			silent.puback(packetId);
			await().atMost(Duration.ofSeconds(10)).until(sent::isDone);
			assertThat(sent).isCompleted();
		}
	}

	record Reading(String zone, double celsius) {
	}

}
