package dev.mqttboot.broker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import dev.mqttboot.test.MqttTestClient;
import dev.mqttboot.test.MqttTestOptions;
import dev.mqttboot.support.TestBroker;
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
	void aQos1BurstFarBeyondTheSessionQueueIsDeliveredAndAcknowledgedInFull() {
		try (TestBroker broker = TestBroker.start("mqtt.broker.moquette.session-queue-size=64");
				MqttTestClient subscriber = MqttTestClient.connect(broker.tcpUrl(), "burst-subscriber")) {
			subscriber.subscribe("burst/#", 1);
			List<MqttTestClient> publishers = new ArrayList<>();
			List<CompletableFuture<Void>> acknowledgements = new ArrayList<>();
			try {
				for (int p = 0; p < PUBLISHERS; p++) {
					publishers.add(MqttTestClient.connect(broker.tcpUrl(), "burst-publisher-" + p,
							new MqttTestOptions().maxInflight(EACH)));
				}
				for (int i = 0; i < EACH; i++) {
					for (int p = 0; p < PUBLISHERS; p++) {
						acknowledgements.add(publishers.get(p)
							.publishAsync("burst/" + p, ("m" + i).getBytes(StandardCharsets.UTF_8), 1, false));
					}
				}
				await().atMost(Duration.ofSeconds(60))
					.until(() -> acknowledgements.stream().allMatch(CompletableFuture::isDone));
				assertThat(acknowledgements).allSatisfy((acknowledged) -> assertThat(acknowledged).isCompleted());
				await().atMost(Duration.ofSeconds(60))
					.until(() -> distinct(subscriber.received()).size() == PUBLISHERS * EACH);
			}
			finally {
				publishers.forEach(MqttTestClient::close);
			}
		}
	}

	private static Set<String> distinct(List<MqttTestClient.Received> received) {
		return received.stream().map((message) -> message.topic() + ":" + message.text()).collect(Collectors.toSet());
	}

}
