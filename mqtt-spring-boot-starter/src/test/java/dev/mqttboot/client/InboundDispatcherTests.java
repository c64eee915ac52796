package dev.mqttboot.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dispatcher with a fake acknowledger: one acknowledgement per message, only once every handler is done, never
 * on a later connection.
 */
class InboundDispatcherTests {

	private final List<Integer> acknowledged = new ArrayList<>();

	private final SubscriptionTable table = new SubscriptionTable(new SubscriptionTable.Wire() {
		@Override
		public void subscribe(String topicFilter, int qos) {
		}

		@Override
		public void unsubscribe(String topicFilter) {
		}
	});

	private final InboundDispatcher dispatcher = new InboundDispatcher("test", this.table,
			(messageId, qos) -> this.acknowledged.add(messageId));

	private static ReceivedMessage message(String topic, int id) {
		return new ReceivedMessage(topic, new byte[0], 1, false, false, id, Map.of(), null, null, null);
	}

	@Test
	void aMessageIsAcknowledgedOnceWhenEveryHandlerHasAcknowledgedIt() {
		List<Runnable> acks = new ArrayList<>();
		this.table.add("a/#", 1, (message, ack) -> acks.add(ack));
		this.table.add("a/+", 1, (message, ack) -> acks.add(ack));
		this.dispatcher.dispatch(message("a/b", 7));
		assertThat(acks).hasSize(2);
		acks.get(0).run();
		acks.get(0).run();
		assertThat(this.acknowledged).isEmpty();
		acks.get(1).run();
		acks.get(1).run();
		assertThat(this.acknowledged).containsExactly(7);
	}

	@Test
	void aMessageNoHandlerWantsIsAcknowledgedAtOnce() {
		this.dispatcher.dispatch(message("nobody/listens", 3));
		assertThat(this.acknowledged).containsExactly(3);
	}

	@Test
	void aHandlerThatThrowsCountsAsDoneSoOthersStillDecide() {
		List<Runnable> acks = new ArrayList<>();
		this.table.add("a/#", 1, (message, ack) -> {
			throw new IllegalStateException("broken handler");
		});
		this.table.add("a/+", 1, (message, ack) -> acks.add(ack));
		this.dispatcher.dispatch(message("a/b", 9));
		assertThat(this.acknowledged).isEmpty();
		acks.get(0).run();
		assertThat(this.acknowledged).containsExactly(9);
	}

	@Test
	void anAcknowledgementAfterAReconnectIsNotSent() {
		List<Runnable> acks = new ArrayList<>();
		this.table.add("a/#", 1, (message, ack) -> acks.add(ack));
		this.dispatcher.dispatch(message("a/b", 5));
		this.dispatcher.connected();
		acks.get(0).run();
		assertThat(this.acknowledged).isEmpty();
	}

}
