package dev.mqttboot.broker.moquette;

import dev.mqttboot.broker.BrokerEvent;
import dev.mqttboot.broker.Transport;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.mqttboot.core.TopicLimits;
import dev.mqttboot.broker.protocol.ConnectionLedger;
import dev.mqttboot.broker.protocol.KeepAliveCeiling;
import dev.mqttboot.broker.protocol.PacketRules;
import dev.mqttboot.support.MqttPackets;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttDecoder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connection guard's checks before a connection is complete, on a Netty {@link EmbeddedChannel} with the real
 * MQTT decoder in front and the keep-alive enforcement behind: what reaches the engine, and when the connection is
 * closed.
 */
class ConnectionGuardTests {

	private final List<BrokerEvent> events = new CopyOnWriteArrayList<>();

	private EmbeddedChannel channel(int keepAliveCeiling) {
		KeepAliveCeiling ceiling = KeepAliveCeiling
			.of((keepAliveCeiling > 0) ? Duration.ofSeconds(keepAliveCeiling) : null);
		ConnectionGuard guard = new ConnectionGuard(Transport.MQTT, new PacketRules(new TopicLimits(8, 256), 256 * 1024),
				Duration.ofSeconds(2), ceiling, new ConnectionLedger(this.events::add));
		return new EmbeddedChannel(new MqttDecoder(), guard, new KeepAliveEnforcement(ceiling));
	}

	private static void write(EmbeddedChannel channel, byte[] bytes) {
		channel.writeInbound(Unpooled.wrappedBuffer(bytes));
	}

	@Test
	void aFirstPacketOtherThanConnectClosesTheConnection() {
		EmbeddedChannel channel = channel(0);
		write(channel, MqttPackets.publish("a/b", "x", 0, 0, false, false));
		assertThat(channel.isOpen()).isFalse();
		assertThat((Object) channel.readInbound()).isNull();
		assertThat(this.events).singleElement().isInstanceOfSatisfying(BrokerEvent.ProtocolViolation.class,
				(violation) -> assertThat(violation.violation()).contains("not CONNECT"));
	}

	@Test
	void aValidConnectIsPassedOnAndReadingPausesUntilTheEngineCompletesIt() {
		EmbeddedChannel channel = channel(0);
		write(channel, MqttPackets.connect("guarded", 30));
		MqttConnectMessage connect = channel.readInbound();
		assertThat(connect.payload().clientIdentifier()).isEqualTo("guarded");
		assertThat(connect.variableHeader().keepAliveTimeSeconds()).isEqualTo(30);
		assertThat(channel.config().isAutoRead()).isFalse();
		assertThat(channel.isOpen()).isTrue();
	}

	@Test
	void theKeepAliveCeilingRewritesAConnectThatAsksForNoneOrMore() {
		EmbeddedChannel none = channel(120);
		write(none, MqttPackets.connect("none", 0));
		assertThat(((MqttConnectMessage) none.readInbound()).variableHeader().keepAliveTimeSeconds()).isEqualTo(120);
		EmbeddedChannel more = channel(120);
		write(more, MqttPackets.connect("more", 600));
		assertThat(((MqttConnectMessage) more.readInbound()).variableHeader().keepAliveTimeSeconds()).isEqualTo(120);
		EmbeddedChannel less = channel(120);
		write(less, MqttPackets.connect("less", 60));
		assertThat(((MqttConnectMessage) less.readInbound()).variableHeader().keepAliveTimeSeconds()).isEqualTo(60);
	}

	@Test
	void aWillWithQos3OrAnInvalidTopicIsRefused() {
		EmbeddedChannel qos3 = channel(0);
		write(qos3, MqttPackets.connect("will-qos3", 30, true, "will/topic", "bye", 3, null, null));
		assertThat(qos3.isOpen()).isFalse();
		EmbeddedChannel wildcard = channel(0);
		write(wildcard, MqttPackets.connect("will-wildcard", 30, true, "will/#", "bye", 1, null, null));
		assertThat(wildcard.isOpen()).isFalse();
		assertThat(this.events).hasSize(2).allMatch(BrokerEvent.ProtocolViolation.class::isInstance);
	}

	@Test
	void aConnectionWithoutACompleteConnectIsClosedAfterTheConnectTimeout() {
		EmbeddedChannel channel = channel(0);
		byte[] connect = MqttPackets.connect("slow", 30);
		write(channel, new byte[] { connect[0], connect[1], connect[2] });
		channel.advanceTimeBy(1, TimeUnit.SECONDS);
		channel.runScheduledPendingTasks();
		assertThat(channel.isOpen()).isTrue();
		channel.advanceTimeBy(1500, TimeUnit.MILLISECONDS);
		channel.runScheduledPendingTasks();
		assertThat(channel.isOpen()).isFalse();
	}

	@Test
	void aCompleteConnectInTimeIsNotClosedByTheConnectTimeout() {
		EmbeddedChannel channel = channel(0);
		write(channel, MqttPackets.connect("in-time", 30));
		channel.advanceTimeBy(5, TimeUnit.SECONDS);
		channel.runScheduledPendingTasks();
		assertThat(channel.isOpen()).isTrue();
	}

}
