package dev.mqttboot.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The subscription table with a fake broker side: covering filters, resubscription after every connect, cancellation,
 * and routing of received topics to handlers.
 */
class SubscriptionTableTests {

	private final List<String> wire = new ArrayList<>();

	private final SubscriptionTable table = new SubscriptionTable(new SubscriptionTable.Wire() {
		@Override
		public void subscribe(String topicFilter, int qos) {
			SubscriptionTableTests.this.wire.add("SUBSCRIBE " + topicFilter + " " + qos);
		}

		@Override
		public void unsubscribe(String topicFilter) {
			SubscriptionTableTests.this.wire.add("UNSUBSCRIBE " + topicFilter);
		}
	});

	private static final MessageHandler A = (message, ack) -> ack.run();

	private static final MessageHandler B = (message, ack) -> ack.run();

	@Test
	void nothingGoesToTheBrokerUntilConnectedThenTheCoveringFiltersAtTheHighestQos() {
		this.table.add("plant/+/temperature", 2, A);
		this.table.add("plant/#", 1, B);
		assertThat(this.wire).isEmpty();
		this.table.connected();
		assertThat(this.wire).containsExactly("SUBSCRIBE plant/# 2");
	}

	@Test
	void everyConnectSubscribesEverythingAgain() {
		this.table.add("a/#", 1, A);
		this.table.connected();
		this.table.disconnected();
		this.table.connected();
		assertThat(this.wire).containsExactly("SUBSCRIBE a/# 1", "SUBSCRIBE a/# 1");
	}

	@Test
	void cancellingTheLastHandlerOfAFilterUnsubscribesIt() {
		this.table.connected();
		MqttSubscription first = this.table.add("a/#", 1, A);
		MqttSubscription second = this.table.add("a/#", 1, B);
		first.cancel();
		assertThat(this.wire).containsExactly("SUBSCRIBE a/# 1");
		second.cancel();
		assertThat(this.wire).containsExactly("SUBSCRIBE a/# 1", "UNSUBSCRIBE a/#");
		assertThat(this.table.statuses()).isEmpty();
	}

	@Test
	void receivedTopicsGoToEveryMatchingHandlerOnceSharedGroupsIncluded() {
		this.table.add("plant/#", 1, A);
		this.table.add("plant/+/temperature", 1, A);
		this.table.add("$share/g/plant/+/temperature", 1, B);
		assertThat(this.table.handlersFor("plant/1/temperature")).containsExactly(A, B);
		assertThat(this.table.handlersFor("plant/1/humidity")).containsExactly(A);
		assertThat(this.table.handlersFor("other")).isEmpty();
	}

	@Test
	void statusesShowTheBrokersAnswerForTheFilterThatCoversThem() {
		this.table.add("plant/+/temperature", 1, A);
		this.table.add("plant/#", 1, B);
		this.table.connected();
		assertThat(this.table.statuses()).extracting(MqttConnection.SubscriptionStatus::grantedQos)
			.containsExactly(null, null);
		this.table.answered("plant/#", 1);
		assertThat(this.table.statuses()).allMatch(MqttConnection.SubscriptionStatus::granted);
		this.table.connected();
		assertThat(this.table.statuses()).noneMatch(MqttConnection.SubscriptionStatus::granted);
	}

	@Test
	void anAnswerIsAwaitedUntilTheBrokerAnswersOnTheCurrentConnection() {
		MqttSubscription subscription = this.table.add("a/#", 1, A);
		CompletableFuture<Integer> beforeConnect = subscription.answered();
		this.table.connected();
		assertThat(beforeConnect).isNotDone();
		this.table.answered("a/#", 1);
		assertThat(beforeConnect).isCompletedWithValue(1);
		assertThat(subscription.answered()).isCompletedWithValue(1);
		this.table.disconnected();
		this.table.connected();
		CompletableFuture<Integer> afterReconnect = subscription.answered();
		assertThat(afterReconnect).isNotDone();
		this.table.answered("a/#", 1);
		assertThat(afterReconnect).isCompletedWithValue(1);
	}

	@Test
	void aCoveredFilterIsAnsweredWithTheFilterThatCoversIt() {
		MqttSubscription narrow = this.table.add("plant/+/temperature", 1, A);
		this.table.add("plant/#", 2, B);
		this.table.connected();
		CompletableFuture<Integer> answer = narrow.answered();
		this.table.answered("plant/#", 2);
		assertThat(answer).isCompletedWithValue(2);
	}

	@Test
	void aRefusalEndsTheWaitWithItsReasonCode() {
		MqttSubscription subscription = this.table.add("forbidden/#", 1, A);
		this.table.connected();
		CompletableFuture<Integer> answer = subscription.answered();
		this.table.answered("forbidden/#", 0x87);
		assertThat(answer).isCompletedWithValue(0x87);
	}

	@Test
	void aResubscriptionAtAnotherQosWaitsForItsOwnAnswer() {
		MqttSubscription first = this.table.add("a/#", 0, A);
		this.table.connected();
		this.table.answered("a/#", 0);
		this.table.add("a/#", 2, B);
		CompletableFuture<Integer> answer = first.answered();
		assertThat(answer).isNotDone();
		this.table.answered("a/#", 2);
		assertThat(answer).isCompletedWithValue(2);
	}

	@Test
	void oneWhoGivesUpDoesNotCancelTheOthersAndCancellingTheSubscriptionEndsEveryWait() {
		MqttSubscription subscription = this.table.add("a/#", 1, A);
		CompletableFuture<Integer> impatient = subscription.answered();
		CompletableFuture<Integer> patient = subscription.answered();
		impatient.cancel(false);
		assertThat(patient).isNotDone();
		subscription.cancel();
		assertThat(patient).isCompletedExceptionally();
	}

}
