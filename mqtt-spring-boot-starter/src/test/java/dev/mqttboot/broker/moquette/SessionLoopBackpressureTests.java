package dev.mqttboot.broker.moquette;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reading stops while the engine's session loops are congested and starts again once they are relieved; what was
 * read meanwhile reaches the engine afterwards, in order, and nothing is passed on while paused.
 */
class SessionLoopBackpressureTests {

	/** One session-loop queue of 1,024 commands: congested from 256, relieved at 64 and below, a look every 4. */
	private final AtomicInteger queued = new AtomicInteger();

	private final EmbeddedChannel channel = new EmbeddedChannel(new SessionLoopBackpressure(
			new SessionLoopPressure(new IntSupplier[] { this.queued::get }, 1024)));

	@Test
	void readingPausesWhileTheSessionLoopsAreCongestedAndWhatWasReadFollowsInOrder() throws Exception {
		this.queued.set(300);
		for (int i = 0; i < 6; i++) {
			this.channel.writeInbound(publish("m" + i));
		}
		assertThat(this.channel.config().isAutoRead()).as("reading after the fourth publish found congestion")
			.isFalse();
		assertThat(payloads()).as("passed on before the pause").containsExactly("m0", "m1", "m2", "m3");

		this.channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
		this.channel.runScheduledPendingTasks();
		assertThat(this.channel.config().isAutoRead()).as("still congested").isFalse();
		assertThat(payloads()).as("nothing passed while paused").isEmpty();

		this.queued.set(10);
		this.channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
		this.channel.runScheduledPendingTasks();
		assertThat(payloads()).containsExactly("m4", "m5");
		assertThat(this.channel.config().isAutoRead()).as("relieved").isTrue();
	}

	@Test
	void aPacketReadWhileHeldPacketsWaitQueuesBehindThem() {
		this.queued.set(300);
		for (int i = 0; i < 5; i++) {
			this.channel.writeInbound(publish("m" + i));
		}
		payloads();
		this.channel.config().setAutoRead(true);
		this.channel.writeInbound(publish("late"));
		assertThat(this.channel.config().isAutoRead()).as("turned off again").isFalse();
		this.queued.set(0);
		this.channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
		this.channel.runScheduledPendingTasks();
		assertThat(payloads()).containsExactly("m4", "late");
	}

	private List<String> payloads() {
		List<String> payloads = new ArrayList<>();
		MqttPublishMessage message;
		while ((message = this.channel.readInbound()) != null) {
			payloads.add(message.payload().toString(StandardCharsets.UTF_8));
			message.release();
		}
		return payloads;
	}

	private static MqttPublishMessage publish(String payload) {
		return new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.AT_MOST_ONCE, false,
				0), new MqttPublishVariableHeader("t", 0), Unpooled.copiedBuffer(payload, StandardCharsets.UTF_8));
	}

}
