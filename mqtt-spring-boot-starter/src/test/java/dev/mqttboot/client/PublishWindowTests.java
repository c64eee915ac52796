package dev.mqttboot.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The publish window on its own, with a fake client: the in-flight limit, the bounded buffer, order, and what a
 * refusal or a stop does to the callers' futures.
 */
class PublishWindowTests {

	private final List<PendingPublish> sent = new ArrayList<>();

	private boolean clientTakes = true;

	private PublishWindow window(int maxInflight, int bufferSize) {
		return new PublishWindow("test", maxInflight, bufferSize, (publish) -> {
			if (!this.clientTakes) {
				return false;
			}
			this.sent.add(publish);
			return true;
		});
	}

	private static PendingPublish publish(String topic) {
		return new PendingPublish(topic, new byte[0], 1, PublishOptions.qos(1));
	}

	@Test
	void aBurstBeyondTheInflightLimitWaitsForAcknowledgementsAndKeepsItsOrder() {
		PublishWindow window = window(2, 10);
		window.connected();
		List<PendingPublish> burst = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			burst.add(publish("t/" + i));
			window.submit(burst.get(i));
		}
		assertThat(this.sent).extracting(PendingPublish::topic).containsExactly("t/0", "t/1");
		assertThat(window.inflight()).isEqualTo(2);
		assertThat(window.waiting()).isEqualTo(3);
		burst.get(0).future().complete(null);
		assertThat(this.sent).extracting(PendingPublish::topic).containsExactly("t/0", "t/1", "t/2");
		burst.get(1).future().complete(null);
		burst.get(2).future().complete(null);
		burst.get(3).future().complete(null);
		assertThat(this.sent).extracting(PendingPublish::topic).containsExactly("t/0", "t/1", "t/2", "t/3", "t/4");
		assertThat(burst).noneMatch((publish) -> publish.future().isCompletedExceptionally());
	}

	@Test
	void whileDisconnectedPublishesWaitInTheBufferAndGoOutOnConnect() {
		PublishWindow window = window(10, 2);
		PendingPublish first = publish("a");
		PendingPublish second = publish("b");
		PendingPublish third = publish("c");
		window.submit(first);
		window.submit(second);
		window.submit(third);
		assertThat(this.sent).isEmpty();
		assertThat(third.future()).failsWithin(Duration.ZERO)
			.withThrowableOfType(ExecutionException.class)
			.withMessageContaining("not connected")
			.withMessageContaining("full (2 messages)");
		window.connected();
		assertThat(this.sent).containsExactly(first, second);
	}

	@Test
	void aPublishTheClientDoesNotTakeWaitsFirstInLine() {
		PublishWindow window = window(10, 10);
		window.connected();
		this.clientTakes = false;
		PendingPublish refused = publish("refused");
		PendingPublish later = publish("later");
		window.submit(refused);
		window.submit(later);
		assertThat(window.inflight()).isZero();
		assertThat(window.waiting()).isEqualTo(2);
		this.clientTakes = true;
		window.connected();
		assertThat(this.sent).containsExactly(refused, later);
	}

	@Test
	void aFullWindowAndBufferRefusesAtOnceNamingBothLimits() {
		PublishWindow window = window(1, 0);
		window.connected();
		window.submit(publish("in-flight"));
		PendingPublish refused = publish("refused");
		window.submit(refused);
		assertThat(refused.future()).failsWithin(Duration.ZERO)
			.withThrowableOfType(ExecutionException.class)
			.withCauseInstanceOf(MqttPublishException.class)
			.withMessageContaining("max-inflight")
			.withMessageContaining("mqtt.client.offline-buffer.size");
	}

	@Test
	void aCallerSeesTheSlotFreeWhenItsFutureCompletes() {
		PublishWindow window = window(1, 10);
		window.connected();
		PendingPublish publish = publish("t");
		window.submit(publish);
		List<Integer> inflightSeenByCaller = new ArrayList<>();
		// Registered last, so it runs first when the future completes.
		publish.future().thenRun(() -> inflightSeenByCaller.add(window.inflight()));
		publish.acknowledged();
		assertThat(inflightSeenByCaller).containsExactly(0);
	}

	@Test
	void takingTheWaitingOnStopLeavesNothingAndFreedSlotsSendNothingMore() {
		PublishWindow window = window(1, 10);
		window.connected();
		PendingPublish inFlight = publish("in-flight");
		window.submit(inFlight);
		window.submit(publish("waiting"));
		assertThat(window.takeWaiting()).extracting(PendingPublish::topic).containsExactly("waiting");
		inFlight.future().complete(null);
		assertThat(this.sent).containsExactly(inFlight);
		assertThat(window.inflight()).isZero();
	}

}
