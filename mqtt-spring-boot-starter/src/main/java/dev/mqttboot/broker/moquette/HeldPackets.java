package dev.mqttboot.broker.moquette;

import java.util.ArrayDeque;
import java.util.Queue;

import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;

/**
 * Packets a connection's handler has read but not yet passed on, in arrival order. The queue is allocated on first
 * use (most connections never hold a packet); what is discarded is released.
 */
final class HeldPackets {

	private @Nullable Queue<Object> packets;

	void add(Object packet) {
		Queue<Object> packets = this.packets;
		if (packets == null) {
			packets = new ArrayDeque<>(4);
			this.packets = packets;
		}
		packets.add(packet);
	}

	/** @return the oldest packet, or {@code null} when none is held */
	@Nullable Object poll() {
		return (this.packets != null) ? this.packets.poll() : null;
	}

	int size() {
		return (this.packets != null) ? this.packets.size() : 0;
	}

	boolean isEmpty() {
		return size() == 0;
	}

	/** Release every held packet. */
	void discard() {
		Object next;
		while ((next = poll()) != null) {
			ReferenceCountUtil.release(next);
		}
	}

}
