package dev.mqttboot.broker.moquette;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import io.moquette.broker.SessionMessageQueue;
import io.moquette.broker.SessionRegistry;
import io.moquette.broker.subscriptions.Topic;
import io.moquette.persistence.H2QueueRepository;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttQoS;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Moquette's H2 session queue, as the engine uses it (one session loop enqueues, dequeues and releases each payload
 * it sent), while the store commits on a thread of its own as Moquette's autosave does: with its payloads detached,
 * no commit fails and the store, opened again, holds exactly the messages still queued, byte for byte. Without
 * {@link DetachedPayloadQueue} a commit soon serializes a payload the loop has released, and MVStore closes the store.
 */
class DetachedPayloadQueueTests {

	private static final int ROUNDS = 20_000;

	@TempDir
	Path directory;

	@Test
	void commitsRacingTheSessionLoopNeverSeeAReleasedPayload() throws Exception {
		String file = this.directory.resolve("queues.h2").toString();
		MVStore store = new MVStore.Builder().fileName(file).autoCommitDisabled().open();
		SessionMessageQueue<SessionRegistry.EnqueuedMessage> queue = new DetachedPayloadQueue(
				new H2QueueRepository(store).getOrCreateQueue("client"), Unpooled::copiedBuffer);
		AtomicBoolean stop = new AtomicBoolean();
		CompletableFuture<Integer> commits = CompletableFuture.supplyAsync(() -> {
			int count = 0;
			while (!stop.get()) {
				store.commit();
				count++;
			}
			return count;
		});
		try {
			for (int i = 0; i < ROUNDS; i++) {
				queue.enqueue(message("m-" + (2 * i)));
				queue.enqueue(message("m-" + (2 * i + 1)));
				SessionRegistry.EnqueuedMessage sent = queue.dequeue();
				assertThat(payload(sent)).isEqualTo("m-" + i);
				sent.release();
			}
		}
		finally {
			stop.set(true);
		}
		assertThat(commits.get()).isPositive();
		store.close();

		MVStore reopened = new MVStore.Builder().fileName(file).open();
		try {
			SessionMessageQueue<SessionRegistry.EnqueuedMessage> restored = new H2QueueRepository(reopened)
				.getOrCreateQueue("client");
			List<String> expected = new ArrayList<>();
			List<String> payloads = new ArrayList<>();
			for (int i = ROUNDS; i < 2 * ROUNDS; i++) {
				expected.add("m-" + i);
				payloads.add(payload(restored.dequeue()));
			}
			assertThat(payloads).isEqualTo(expected);
			assertThat(restored.isEmpty()).isTrue();
		}
		finally {
			reopened.close();
		}
	}

	/** A payload in a pooled direct buffer, as the engine's decoder hands it over, retained once for the queue. */
	private static SessionRegistry.PublishedMessage message(String text) {
		ByteBuf payload = PooledByteBufAllocator.DEFAULT.directBuffer();
		payload.writeCharSequence(text, StandardCharsets.UTF_8);
		return new SessionRegistry.PublishedMessage(Topic.asTopic("queued/a"), MqttQoS.AT_LEAST_ONCE, payload, false);
	}

	private static String payload(SessionRegistry.EnqueuedMessage message) {
		return ((SessionRegistry.PublishedMessage) message).getPayload().toString(StandardCharsets.UTF_8);
	}

}
