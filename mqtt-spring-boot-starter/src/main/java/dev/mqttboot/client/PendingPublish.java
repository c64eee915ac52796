package dev.mqttboot.client;

import java.util.concurrent.CompletableFuture;

/**
 * A publish on its way: what to send, and the future its caller holds.
 */
final class PendingPublish {

	private final String topic;

	private final byte[] payload;

	private final int qos;

	private final PublishOptions options;

	private final CompletableFuture<Void> future = new CompletableFuture<>();

	private final long startedNanos = System.nanoTime();

	/** Whether it occupies an in-flight slot; guarded by its {@link PublishWindow}. */
	boolean holdsSlot;

	/** Frees its in-flight slot; run before the caller's future completes, so the caller never sees it in flight. */
	private volatile Runnable release = () -> {
	};

	PendingPublish(String topic, byte[] payload, int qos, PublishOptions options) {
		this.topic = topic;
		this.payload = payload;
		this.qos = qos;
		this.options = options;
	}

	String topic() {
		return this.topic;
	}

	byte[] payload() {
		return this.payload;
	}

	int qos() {
		return this.qos;
	}

	PublishOptions options() {
		return this.options;
	}

	CompletableFuture<Void> future() {
		return this.future;
	}

	long startedNanos() {
		return this.startedNanos;
	}

	void onRelease(Runnable release) {
		this.release = release;
	}

	/** The broker acknowledged it. */
	void acknowledged() {
		this.release.run();
		this.future.complete(null);
	}

	/** The broker did not acknowledge it (or the connection went first). */
	void notAcknowledged(Throwable cause) {
		this.release.run();
		this.future.completeExceptionally(new MqttPublishException(
				"Publish to '" + this.topic + "' at QoS " + this.qos + " was not acknowledged: " + cause, cause));
	}

	/** The client refused it. */
	void failed(Throwable cause) {
		this.release.run();
		this.future.completeExceptionally(new MqttPublishException("Publish to '" + this.topic + "' failed: " + cause,
				cause));
	}

}
