package dev.mqttboot.broker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.mqttboot.support.Paho;
import dev.mqttboot.support.TestBroker;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Publishers faster than the engine: with a session-loop queue far too small for the burst, reading from publishers
 * pauses until the engine catches up, so no QoS 1 routing overflows the queue (Moquette would then never acknowledge
 * it, stalling the publisher for good).
 */
class BackpressureTests {

	private static final int PUBLISHERS = 4;

	private static final int EACH = 2_000;

	@Test
	void aQos1BurstFarBeyondTheSessionQueueIsDeliveredAndAcknowledgedInFull() throws Exception {
		try (TestBroker broker = TestBroker.start("mqtt.broker.moquette.session-queue-size=64")) {
			Set<String> received = ConcurrentHashMap.newKeySet();
			MqttAsyncClient subscriber = client(broker.tcpUrl(), "burst-subscriber", (topic, message) -> received
				.add(topic + ":" + new String(message.getPayload(), StandardCharsets.UTF_8)));
			subscriber.subscribe("burst/#", 1).waitForCompletion(10_000);
			List<MqttAsyncClient> publishers = new ArrayList<>();
			List<IMqttDeliveryToken> tokens = new ArrayList<>();
			for (int p = 0; p < PUBLISHERS; p++) {
				MqttAsyncClient publisher = client(broker.tcpUrl(), "burst-publisher-" + p, (topic, message) -> {
				});
				publishers.add(publisher);
			}
			for (int i = 0; i < EACH; i++) {
				for (int p = 0; p < PUBLISHERS; p++) {
					tokens.add(publishers.get(p).publish("burst/" + p, ("m" + i).getBytes(StandardCharsets.UTF_8), 1,
							false));
				}
			}
			await().atMost(Duration.ofSeconds(60)).until(() -> tokens.stream().allMatch(IMqttDeliveryToken::isComplete));
			assertThat(tokens).allSatisfy((token) -> assertThat(token.getException()).isNull());
			await().atMost(Duration.ofSeconds(60)).until(() -> received.size() == PUBLISHERS * EACH);
			for (MqttAsyncClient client : publishers) {
				client.disconnect().waitForCompletion(10_000);
				client.close();
			}
			subscriber.disconnect().waitForCompletion(10_000);
			subscriber.close();
		}
	}

	private static MqttAsyncClient client(String url, String id,
			java.util.function.BiConsumer<String, MqttMessage> onMessage) throws Exception {
		MqttAsyncClient client = new MqttAsyncClient(url, id, new MemoryPersistence());
		client.setCallback(new MqttCallback() {
			@Override
			public void connectionLost(Throwable cause) {
			}

			@Override
			public void messageArrived(String topic, MqttMessage message) {
				onMessage.accept(topic, message);
			}

			@Override
			public void deliveryComplete(IMqttDeliveryToken token) {
			}
		});
		MqttConnectOptions options = Paho.options();
		options.setMaxInflight(EACH);
		client.connect(options).waitForCompletion(10_000);
		return client;
	}

}
