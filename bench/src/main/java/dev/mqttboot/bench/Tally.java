package dev.mqttboot.bench;

import java.util.BitSet;

/**
 * What one consumer received, by sequence number: distinct messages, duplicates and the last arrival time. Called from
 * the consumer's thread; read by the scenario's.
 */
final class Tally {

	private final BitSet seen = new BitSet();

	private long distinct;

	private long duplicates;

	private volatile long lastArrivalNanos;

	synchronized void record(long sequence) {
		this.lastArrivalNanos = System.nanoTime();
		if (this.seen.get((int) sequence)) {
			this.duplicates++;
			return;
		}
		this.seen.set((int) sequence);
		this.distinct++;
	}

	synchronized long distinct() {
		return this.distinct;
	}

	synchronized long duplicates() {
		return this.duplicates;
	}

	long lastArrivalNanos() {
		return this.lastArrivalNanos;
	}

}
