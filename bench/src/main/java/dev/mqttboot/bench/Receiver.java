package dev.mqttboot.bench;

import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.Set;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;

/**
 * A subscriber's bookkeeping: what arrived from each publisher (by the sequence number in the payload), so loss,
 * duplicates, reordering and latency are measured rather than assumed. It also acknowledges QoS 1 and 2 deliveries
 * and notices a QoS 2 packet id reused while still in flight.
 */
final class Receiver {

	private final BitSet[] seen;

	private final long[] lastSeq;

	private final long[] latencies;

	private int latencyCount;

	long received;

	long duplicates;

	long reordered;

	long packetIdReuse;

	volatile long lastArrivalNanos;

	private final Set<Integer> awaitingRelease = new HashSet<>();

	private BenchClient client;

	Receiver(int publishers, int expectedPerPublisher) {
		this.seen = new BitSet[publishers];
		this.lastSeq = new long[publishers];
		for (int i = 0; i < publishers; i++) {
			this.seen[i] = new BitSet(expectedPerPublisher);
			this.lastSeq[i] = -1;
		}
		this.latencies = new long[Math.max(1, publishers * expectedPerPublisher)];
	}

	void bind(BenchClient client) {
		this.client = client;
	}

	/** Called on the subscriber's event loop. */
	void onPacket(MqttMessage message) {
		MqttMessageType type = message.fixedHeader().messageType();
		if (type == MqttMessageType.PUBREL) {
			int id = BenchClient.packetId(message);
			this.awaitingRelease.remove(id);
			this.client.ack(MqttMessageType.PUBCOMP, id);
			return;
		}
		if (type != MqttMessageType.PUBLISH) {
			return;
		}
		MqttPublishMessage publish = (MqttPublishMessage) message;
		int qos = publish.fixedHeader().qosLevel().value();
		int id = publish.variableHeader().packetId();
		if (qos == 1) {
			this.client.ack(MqttMessageType.PUBACK, id);
		}
		else if (qos == 2) {
			if (!this.awaitingRelease.add(id) && !publish.fixedHeader().isDup()) {
				this.packetIdReuse++;
			}
			this.client.ack(MqttMessageType.PUBREC, id);
		}
		ByteBuf payload = publish.payload();
		long seq = payload.getLong(0);
		long sentNanos = payload.getLong(8);
		int publisher = payload.getInt(16);
		long now = System.nanoTime();
		this.lastArrivalNanos = now;
		this.received++;
		if (publisher < 0 || publisher >= this.seen.length) {
			return;
		}
		if (this.seen[publisher].get((int) seq)) {
			this.duplicates++;
			return;
		}
		this.seen[publisher].set((int) seq);
		if (seq < this.lastSeq[publisher]) {
			this.reordered++;
		}
		this.lastSeq[publisher] = Math.max(this.lastSeq[publisher], seq);
		if (this.latencyCount < this.latencies.length) {
			this.latencies[this.latencyCount++] = now - sentNanos;
		}
	}

	long distinct() {
		long total = 0;
		for (BitSet set : this.seen) {
			total += set.cardinality();
		}
		return total;
	}

	/** Latency percentile in microseconds. */
	double percentileMicros(double percentile) {
		if (this.latencyCount == 0) {
			return Double.NaN;
		}
		long[] sorted = Arrays.copyOf(this.latencies, this.latencyCount);
		Arrays.sort(sorted);
		int index = (int) Math.min(sorted.length - 1, Math.ceil(percentile / 100.0 * sorted.length) - 1);
		return sorted[Math.max(0, index)] / 1000.0;
	}

}
