package dev.mqttboot.test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.jspecify.annotations.Nullable;

import org.springframework.core.env.Environment;

/**
 * A real MQTT 3.1.1 client for tests: publish, subscribe, and wait for what arrives. It records every message it
 * receives, can stop reading to play a slow consumer, and with {@link MqttTestOptions#failover failover} addresses
 * follows a cluster the way a device does. It needs nothing beyond what the starter already brings (Eclipse Paho), so
 * it adds no test library to an application's runtime.
 *
 * <pre class="code">
 * try (MqttTestClient client = MqttTestClient.connect(environment)) {
 *     client.subscribe("alerts/#");
 *     client.publish("greenhouse/zone-1/sensors/t1", "{\"value\": 45}");
 *     List&lt;Received&gt; alerts = client.awaitMessages("alerts/#", 1, Duration.ofSeconds(10));
 * }
 * </pre>
 */
public final class MqttTestClient implements AutoCloseable {

	/** How long an operation waits for the broker's answer. */
	private static final long ANSWER_MILLIS = 60_000;

	/** How long a publish waits for a free in-flight slot. */
	private static final long SLOT_WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);

	private final MqttAsyncClient client;

	private final ReceivedMessages received = new ReceivedMessages();

	private final Map<String, Integer> subscriptions = new ConcurrentHashMap<>();

	private final AtomicInteger connections = new AtomicInteger();

	private final boolean resubscribes;

	private volatile boolean sessionPresent;

	private volatile @Nullable String serverUrl;

	private MqttTestClient(MqttAsyncClient client, boolean resubscribes) {
		this.client = client;
		this.resubscribes = resubscribes;
	}

	/**
	 * Connect to the embedded broker of a running application ({@code local.mqtt.port}).
	 * @param environment the application's environment
	 * @return a connected client
	 */
	public static MqttTestClient connect(Environment environment) {
		Integer port = environment.getProperty("local.mqtt.port", Integer.class);
		if (port == null) {
			throw new IllegalStateException("No embedded MQTT broker is running (local.mqtt.port is not set)");
		}
		return connect("tcp://127.0.0.1:" + port);
	}

	/**
	 * Connect to a broker with a random client id and the default {@link MqttTestOptions}.
	 * @param url the broker URL
	 * @return a connected client
	 */
	public static MqttTestClient connect(String url) {
		return connect(url, "test-" + UUID.randomUUID().toString().substring(0, 8));
	}

	/**
	 * Connect to a broker with the default {@link MqttTestOptions}.
	 * @param url the broker URL
	 * @param clientId the client id
	 * @return a connected client
	 */
	public static MqttTestClient connect(String url, String clientId) {
		return connect(url, clientId, new MqttTestOptions());
	}

	/**
	 * Connect to a broker.
	 * @param url the broker URL ({@code tcp://}, {@code ssl://}, {@code ws://} or {@code wss://})
	 * @param clientId the client id
	 * @param options how to connect
	 * @return a connected client
	 * @throws MqttConnectRefusedException when the broker refuses the connection
	 * @throws IllegalStateException when the broker cannot be reached
	 */
	public static MqttTestClient connect(String url, String clientId, MqttTestOptions options) {
		MqttAsyncClient client;
		try {
			client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
		}
		catch (MqttException ex) {
			throw new IllegalStateException("Cannot create a client for " + url + ": " + ex.getMessage(), ex);
		}
		MqttTestClient test = new MqttTestClient(client, options.reconnects());
		try {
			client.setCallback(test.callback());
			IMqttToken token = client.connect(options.toPaho(url));
			await(token);
			test.sessionPresent = token.getSessionPresent();
			return test;
		}
		catch (MqttException ex) {
			test.close();
			int code = ex.getReasonCode();
			if (code >= MqttException.REASON_CODE_INVALID_PROTOCOL_VERSION
					&& code <= MqttException.REASON_CODE_NOT_AUTHORIZED) {
				throw new MqttConnectRefusedException(url, code, ex);
			}
			throw new IllegalStateException("Cannot connect to " + url + " as " + clientId + ": " + ex.getMessage(),
					ex);
		}
	}

	private MqttCallbackExtended callback() {
		return new MqttCallbackExtended() {

			@Override
			public void connectComplete(boolean reconnect, String serverURI) {
				MqttTestClient.this.serverUrl = serverURI;
				MqttTestClient.this.connections.incrementAndGet();
				if (reconnect && MqttTestClient.this.resubscribes) {
					MqttTestClient.this.subscriptions.forEach(MqttTestClient.this::subscribeAgain);
				}
			}

			@Override
			public void connectionLost(Throwable cause) {
			}

			@Override
			public void messageArrived(String topic, MqttMessage message) throws InterruptedException {
				MqttTestClient.this.received.arrived(new Received(topic, message.getPayload(), message.getQos(),
						message.isRetained(), message.isDuplicate()));
			}

			@Override
			public void deliveryComplete(IMqttDeliveryToken token) {
			}

		};
	}

	private void subscribeAgain(String filter, int qos) {
		try {
			this.client.subscribe(filter, qos);
		}
		catch (MqttException ex) {
			// lost again already: the next connection subscribes
		}
	}

	/**
	 * The client id it connected with.
	 * @return the client id
	 */
	public String clientId() {
		return this.client.getClientId();
	}

	/**
	 * Whether it is connected now.
	 * @return whether it is connected
	 */
	public boolean isConnected() {
		return this.client.isConnected();
	}

	/**
	 * Whether the broker answered the first CONNECT with "session present".
	 * @return the CONNACK's session present flag
	 */
	public boolean sessionPresent() {
		return this.sessionPresent;
	}

	/**
	 * The broker it is connected to now, or was last (one of the failover addresses, if any).
	 * @return the broker's URL
	 */
	public @Nullable String serverUrl() {
		return this.serverUrl;
	}

	/**
	 * How many connections it made, the first included.
	 * @return the number of connections
	 */
	public int connections() {
		return this.connections.get();
	}

	/**
	 * Subscribe at QoS 1 and wait for the broker's answer.
	 * @param filter the topic filter
	 * @return this client
	 * @throws IllegalStateException when the broker refuses the subscription
	 */
	public MqttTestClient subscribe(String filter) {
		return subscribe(filter, 1);
	}

	/**
	 * Subscribe and wait for the broker's answer.
	 * @param filter the topic filter
	 * @param qos the QoS
	 * @return this client
	 * @throws IllegalStateException when the broker refuses the subscription
	 */
	public MqttTestClient subscribe(String filter, int qos) {
		if (trySubscribe(filter, qos) > 2) {
			throw new IllegalStateException("The broker refused the subscription to " + filter);
		}
		return this;
	}

	/**
	 * Subscribe, wait for the broker's answer and return it.
	 * @param filter the topic filter
	 * @param qos the QoS
	 * @return the SUBACK's return code: the granted QoS, or {@code 0x80} when the broker refused the subscription
	 */
	public int trySubscribe(String filter, int qos) {
		try {
			IMqttToken token = this.client.subscribe(filter, qos);
			await(token);
			int granted = token.getGrantedQos()[0];
			if (granted <= 2) {
				this.subscriptions.put(filter, qos);
			}
			return granted;
		}
		catch (MqttException ex) {
			throw new IllegalStateException("Cannot subscribe to " + filter + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Publish a UTF-8 payload at QoS 1 and wait for the acknowledgement.
	 * @param topic the topic
	 * @param payload the payload
	 * @return this client
	 */
	public MqttTestClient publish(String topic, String payload) {
		return publish(topic, payload, 1, false);
	}

	/**
	 * Publish a UTF-8 payload and wait for the acknowledgement (none at QoS 0: until it is written).
	 * @param topic the topic
	 * @param payload the payload
	 * @param qos the QoS
	 * @param retained whether the broker retains it
	 * @return this client
	 */
	public MqttTestClient publish(String topic, String payload, int qos, boolean retained) {
		return publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retained);
	}

	/**
	 * Publish and wait for the acknowledgement (none at QoS 0: until it is written).
	 * @param topic the topic
	 * @param payload the payload
	 * @param qos the QoS
	 * @param retained whether the broker retains it
	 * @return this client
	 */
	public MqttTestClient publish(String topic, byte[] payload, int qos, boolean retained) {
		try {
			await(send(topic, payload, qos, retained, null));
			return this;
		}
		catch (MqttException ex) {
			throw new IllegalStateException("Cannot publish to " + topic + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Publish without waiting: the future completes when the broker acknowledges the message (PUBACK, or PUBCOMP at
	 * QoS 2; at QoS 0 when it is written) and fails when it cannot be delivered. With many outstanding, limit them to
	 * the {@link MqttTestOptions#maxInflight in-flight window}.
	 * @param topic the topic
	 * @param payload the payload
	 * @param qos the QoS
	 * @param retained whether the broker retains it
	 * @return the acknowledgement
	 */
	public CompletableFuture<Void> publishAsync(String topic, byte[] payload, int qos, boolean retained) {
		CompletableFuture<Void> acknowledged = new CompletableFuture<>();
		try {
			send(topic, payload, qos, retained, new IMqttActionListener() {

				@Override
				public void onSuccess(IMqttToken token) {
					acknowledged.complete(null);
				}

				@Override
				public void onFailure(IMqttToken token, Throwable ex) {
					acknowledged.completeExceptionally(ex);
				}

			});
		}
		catch (MqttException ex) {
			acknowledged.completeExceptionally(ex);
		}
		return acknowledged;
	}

	/**
	 * Publish payloads to one topic in order, with at most {@code window} of them unacknowledged at a time, and return
	 * once the broker has acknowledged every one: a steady stream, as a busy device sends.
	 * @param topic the topic
	 * @param payloads the payloads, in the order to send them
	 * @param qos the QoS
	 * @param window how many may be unacknowledged at once (at most the {@link MqttTestOptions#maxInflight in-flight
	 * window})
	 * @throws IllegalStateException when a message cannot be delivered or is not acknowledged within a minute
	 */
	public void publishInWindow(String topic, Iterable<byte[]> payloads, int qos, int window) {
		Semaphore slots = new Semaphore(window);
		AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
		try {
			for (byte[] payload : payloads) {
				acquire(slots, 1, topic);
				publishAsync(topic, payload, qos, false).whenComplete((ignored, ex) -> {
					if (ex != null) {
						failure.compareAndSet(null, ex);
					}
					slots.release();
				});
				throwIfFailed(failure, topic);
			}
			acquire(slots, window, topic);
			throwIfFailed(failure, topic);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while publishing to " + topic, ex);
		}
	}

	private static void acquire(Semaphore slots, int permits, String topic) throws InterruptedException {
		if (!slots.tryAcquire(permits, ANSWER_MILLIS, TimeUnit.MILLISECONDS)) {
			throw new IllegalStateException("The broker did not acknowledge messages to " + topic + " within "
					+ ANSWER_MILLIS + " ms");
		}
	}

	private static void throwIfFailed(AtomicReference<@Nullable Throwable> failure, String topic) {
		Throwable ex = failure.get();
		if (ex != null) {
			throw new IllegalStateException("Cannot publish to " + topic + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Hand a message to Paho. When all of its in-flight slots are taken (it frees them on its callback thread, a moment
	 * after a token completes) it waits for one.
	 */
	private IMqttDeliveryToken send(String topic, byte[] payload, int qos, boolean retained,
			@Nullable IMqttActionListener listener) throws MqttException {
		long deadline = System.nanoTime() + SLOT_WAIT_NANOS;
		MqttMessage message = new MqttMessage(payload);
		message.setQos(qos);
		message.setRetained(retained);
		while (true) {
			try {
				return this.client.publish(topic, message, null, listener);
			}
			catch (MqttException ex) {
				if (ex.getReasonCode() != MqttException.REASON_CODE_MAX_INFLIGHT || System.nanoTime() > deadline) {
					throw ex;
				}
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
			}
		}
	}

	/**
	 * Every message received so far, in arrival order.
	 * @return the messages
	 */
	public List<Received> received() {
		return this.received.snapshot();
	}

	/**
	 * The payloads of every message received so far, as UTF-8 text, in arrival order.
	 * @return the payloads
	 */
	public List<String> payloads() {
		return received().stream().map(Received::text).toList();
	}

	/**
	 * How many times each payload arrived (as UTF-8 text, surrounding blanks stripped), to see loss and duplicates.
	 * @return the count per payload
	 */
	public Map<String, Integer> counts() {
		return this.received.counts();
	}

	/**
	 * Wait until at least {@code count} messages on topics matching the filter have arrived.
	 * @param filter a topic filter (messages received through any subscription are considered)
	 * @param count how many
	 * @param timeout how long to wait
	 * @return the first {@code count} matching messages, in arrival order
	 * @throws AssertionError when they do not arrive in time
	 */
	public List<Received> awaitMessages(String filter, int count, Duration timeout) {
		return this.received.await(filter, count, timeout);
	}

	/**
	 * Wait for messages on a filter and check their payloads, in order.
	 * @param filter the topic filter
	 * @param timeout how long to wait
	 * @param expected the expected UTF-8 payloads
	 * @throws AssertionError when they differ or do not arrive in time
	 */
	public void assertPayloads(String filter, Duration timeout, String... expected) {
		List<String> actual = awaitMessages(filter, expected.length, timeout).stream().map(Received::text).toList();
		if (!actual.equals(List.of(expected))) {
			throw new AssertionError("Expected payloads " + List.of(expected) + " on '" + filter + "' but got " + actual);
		}
	}

	/**
	 * Stop taking messages off the socket, as a slow or stuck consumer does, until {@link #resumeReading()}. Give such
	 * a client a keep-alive of zero: it reads no PINGRESP either.
	 */
	public void pauseReading() {
		this.received.pause();
	}

	/** Read again after {@link #pauseReading()}. */
	public void resumeReading() {
		this.received.resume();
	}

	/**
	 * Disconnect cleanly (a DISCONNECT packet, so no will is published) and wait for it.
	 */
	public void disconnect() {
		try {
			await(this.client.disconnect());
		}
		catch (MqttException ex) {
			throw new IllegalStateException("Cannot disconnect: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Disconnect if still connected (a DISCONNECT packet, at most a few seconds) and release the client.
	 */
	@Override
	public void close() {
		resumeReading();
		try {
			if (this.client.isConnected()) {
				this.client.disconnectForcibly(2000, 2000);
			}
		}
		catch (MqttException ex) {
			// gone already
		}
		try {
			this.client.close(true);
		}
		catch (MqttException ex) {
			// closing anyway
		}
	}

	private static void await(IMqttToken token) throws MqttException {
		token.waitForCompletion(ANSWER_MILLIS);
	}

	/**
	 * A message the test client received.
	 * @param topic the topic
	 * @param payload the payload
	 * @param qos the QoS it was delivered at
	 * @param retained whether it came from the retained store
	 * @param duplicate whether the broker marked it as sent again (DUP)
	 */
	public record Received(String topic, byte[] payload, int qos, boolean retained, boolean duplicate) {

		/**
		 * The payload as UTF-8 text.
		 * @return the text
		 */
		public String text() {
			return new String(this.payload, StandardCharsets.UTF_8);
		}

		@Override
		public String toString() {
			return this.topic + " " + text();
		}

	}

}
