package dev.mqttboot.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;

/**
 * Sends {@code count} 64-byte messages (sequence number, send time, publisher id) as fast as TCP and, for QoS 1 and
 * 2, a bounded in-flight window allow. Everything runs on the publisher's event loop.
 */
final class Publisher {

	private final int id;

	private final String topic;

	private final int qos;

	private final int count;

	private final int window;

	private BenchClient client;

	private int sent;

	private int completed;

	/** Paced: sends only on the clock, never because an acknowledgement freed a window slot. */
	private boolean paced;

	final CountDownLatch done = new CountDownLatch(1);

	private final PayloadFormat format;

	Publisher(int id, String topic, int qos, int count, int window) {
		this(id, topic, qos, count, window, PayloadFormat.BINARY);
	}

	Publisher(int id, String topic, int qos, int count, int window, PayloadFormat format) {
		this.format = format;
		this.id = id;
		this.topic = topic;
		this.qos = qos;
		this.count = count;
		this.window = window;
	}

	void bind(BenchClient client) {
		this.client = client;
	}

	void start() {
		this.client.channel().eventLoop().execute(this::sendBatch);
	}

	private void sendBatch() {
		if (this.qos == 0) {
			int batch = 0;
			while (this.sent < this.count && batch < 256 && this.client.isWritable()) {
				send();
				batch++;
			}
			this.client.flush();
			if (this.sent < this.count) {
				this.client.channel().eventLoop().schedule(this::sendBatch, this.client.isWritable() ? 0 : 50,
						TimeUnit.MICROSECONDS);
			}
			else {
				this.done.countDown();
			}
			return;
		}
		while (this.sent < this.count && this.sent - this.completed < this.window) {
			send();
		}
		this.client.flush();
	}

	private void send() {
		ByteBuf payload = this.format.encode(this.sent, System.nanoTime(), this.id);
		this.sent++;
		this.client.publish(this.topic, payload, this.qos, 1 + (this.sent % 65000));
	}

	/** Called on the publisher's event loop. */
	void onPacket(MqttMessage message) {
		MqttMessageType type = message.fixedHeader().messageType();
		if (type == MqttMessageType.PUBREC) {
			this.client.ack(MqttMessageType.PUBREL, BenchClient.packetId(message));
			return;
		}
		if ((type == MqttMessageType.PUBACK && this.qos == 1) || (type == MqttMessageType.PUBCOMP && this.qos == 2)) {
			this.completed++;
			if (this.completed >= this.count) {
				this.done.countDown();
			}
			else if (!this.paced && this.sent < this.count) {
				send();
			}
		}
	}

	/** Paced sending for the latency scenario: {@code perTick} messages every millisecond. */
	void startPaced(int perTick) {
		this.paced = true;
		java.util.concurrent.atomic.AtomicReference<java.util.concurrent.ScheduledFuture<?>> clock =
				new java.util.concurrent.atomic.AtomicReference<>();
		clock.set(this.client.channel().eventLoop().scheduleAtFixedRate(() -> {
			for (int i = 0; i < perTick && this.sent < this.count; i++) {
				send();
			}
			this.client.flush();
			if (this.sent >= this.count) {
				if (this.qos == 0) {
					this.done.countDown();
				}
				java.util.concurrent.ScheduledFuture<?> self = clock.get();
				if (self != null) {
					self.cancel(false);
				}
			}
		}, 1, 1, TimeUnit.MILLISECONDS));
	}

}
