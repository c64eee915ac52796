package dev.mqttboot.broker.protocol;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.mqttboot.broker.BrokerEvent;
import dev.mqttboot.broker.ConnectedClient;
import dev.mqttboot.broker.Transport;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One connect and one disconnect event per accepted connection, with the first reason recorded; and the CONNECT
 * deadline. On Netty's embedded channel, without a socket.
 */
class ConnectionLedgerTests {

	private final List<BrokerEvent> events = new ArrayList<>();

	private final ConnectionLedger ledger = new ConnectionLedger(this.events::add);

	@Test
	void theFirstReasonRecordedIsTheOneReportedAndAnUnexplainedEndIsLost() {
		EmbeddedChannel first = new EmbeddedChannel();
		this.ledger.connected(first, client("a"));
		ConnectionLedger.closeReason(first, BrokerEvent.DisconnectReason.CLIENT);
		ConnectionLedger.closeReason(first, BrokerEvent.DisconnectReason.SERVER);
		this.ledger.closed(first, "a");
		EmbeddedChannel second = new EmbeddedChannel();
		this.ledger.connected(second, client("b"));
		this.ledger.closed(second, "b");
		assertThat(this.events).filteredOn(BrokerEvent.ClientDisconnected.class::isInstance)
			.map(BrokerEvent.ClientDisconnected.class::cast)
			.extracting(BrokerEvent.ClientDisconnected::reason)
			.containsExactly(BrokerEvent.DisconnectReason.CLIENT, BrokerEvent.DisconnectReason.LOST);
		assertThat(this.ledger.list()).isEmpty();
	}

	@Test
	void aTakeOverEndsTheOlderConnectionAsTheServerAndListsTheNewOne() {
		EmbeddedChannel older = new EmbeddedChannel();
		EmbeddedChannel newer = new EmbeddedChannel();
		this.ledger.connected(older, client("a"));
		this.ledger.connected(newer, client("a"));
		this.ledger.closed(older, "a");
		assertThat(this.ledger.list()).singleElement().satisfies((c) -> assertThat(c.clientId()).isEqualTo("a"));
		assertThat(this.events).filteredOn(BrokerEvent.ClientDisconnected.class::isInstance)
			.singleElement()
			.satisfies((event) -> assertThat(((BrokerEvent.ClientDisconnected) event).reason())
				.isEqualTo(BrokerEvent.DisconnectReason.SERVER));
	}

	@Test
	void aViolationIsReportedAndEndsTheConnectionAsTheServer() {
		EmbeddedChannel channel = new EmbeddedChannel();
		this.ledger.connected(channel, client("a"));
		this.ledger.violation(channel, new BrokerEvent.ProtocolViolation("a", null, "second CONNECT"));
		this.ledger.closed(channel, "a");
		assertThat(this.events).hasAtLeastOneElementOfType(BrokerEvent.ProtocolViolation.class);
		assertThat(this.events).last()
			.isEqualTo(new BrokerEvent.ClientDisconnected("a", BrokerEvent.DisconnectReason.SERVER));
	}

	@Test
	void aConnectionWithoutConnectIsClosedAtTheDeadlineAndOneWithItIsNot() throws Exception {
		EmbeddedChannel silent = new EmbeddedChannel();
		EmbeddedChannel connected = new EmbeddedChannel();
		ConnectDeadline.arm(silent, Duration.ofMillis(1), () -> false, () -> {
		});
		ConnectDeadline.arm(connected, Duration.ofMillis(1), () -> true, () -> {
		});
		TimeUnit.MILLISECONDS.sleep(5);
		silent.runScheduledPendingTasks();
		connected.runScheduledPendingTasks();
		assertThat(silent.isActive()).isFalse();
		assertThat(connected.isActive()).isTrue();
	}

	private static ConnectedClient client(String clientId) {
		return new ConnectedClient(clientId, null, null, Transport.MQTT, 4, 60, 60, true, Instant.now());
	}

}
