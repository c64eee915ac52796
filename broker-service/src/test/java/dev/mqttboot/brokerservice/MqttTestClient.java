package dev.mqttboot.brokerservice;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real MQTT 3.1.1 client (Eclipse Paho) for the process tests: it counts what arrives, per payload, so loss and
 * duplicates are seen, and publishes with a window of unacknowledged messages.
 */
final class MqttTestClient implements AutoCloseable {

	private static final long TIMEOUT_MILLIS = 60_000;

	private final MqttAsyncClient client;

	private final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();

	private final AtomicInteger total = new AtomicInteger();

	private volatile Semaphore gate;

	private boolean sessionPresent;

	private MqttTestClient(String url, String clientId) throws MqttException {
		this.client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
		this.client.setCallback(new MqttCallback() {

			@Override
			public void connectionLost(Throwable cause) {
			}

			@Override
			public void messageArrived(String topic, MqttMessage message) throws Exception {
				Semaphore gate = MqttTestClient.this.gate;
				if (gate != null) {
					// Paho reads no more from the socket while this callback blocks: a subscriber that stops reading.
					gate.acquire();
					gate.release();
				}
				MqttTestClient.this.received
					.computeIfAbsent(new String(message.getPayload(), StandardCharsets.UTF_8),
							(key) -> new AtomicInteger())
					.incrementAndGet();
				MqttTestClient.this.total.incrementAndGet();
			}

			@Override
			public void deliveryComplete(IMqttDeliveryToken token) {
			}

		});
	}

	/**
	 * Connect.
	 * @param url the broker
	 * @param clientId the client id
	 * @param cleanSession whether the session ends with the connection
	 * @return the connected client
	 */
	static MqttTestClient connect(String url, String clientId, boolean cleanSession) throws MqttException {
		return connect(url, clientId, cleanSession, 60);
	}

	/**
	 * Connect.
	 * @param url the broker
	 * @param clientId the client id
	 * @param cleanSession whether the session ends with the connection
	 * @param keepAlive the keep-alive in seconds; 0 for a client that may stop reading (Paho would otherwise give up
	 * on a PINGRESP it does not read)
	 * @return the connected client
	 */
	static MqttTestClient connect(String url, String clientId, boolean cleanSession, int keepAlive)
			throws MqttException {
		return connect(url, clientId, cleanSession, keepAlive, null, null);
	}

	/**
	 * Connect with a user name and password (a clean session).
	 * @return the connected client
	 * @throws MqttException when the broker refuses it (e.g. CONNACK 0x04, bad user name or password)
	 */
	static MqttTestClient connect(String url, String clientId, String user, String password) throws MqttException {
		return connect(url, clientId, true, 60, user, password);
	}

	private static MqttTestClient connect(String url, String clientId, boolean cleanSession, int keepAlive,
			String user, String password) throws MqttException {
		MqttTestClient test = new MqttTestClient(url, clientId);
		MqttConnectOptions options = new MqttConnectOptions();
		if (user != null) {
			options.setUserName(user);
			options.setPassword(password.toCharArray());
		}
		options.setCleanSession(cleanSession);
		options.setMaxInflight(1000);
		options.setKeepAliveInterval(keepAlive);
		options.setConnectionTimeout(60);
		IMqttToken token = test.client.connect(options);
		token.waitForCompletion(TIMEOUT_MILLIS);
		test.sessionPresent = token.getSessionPresent();
		return test;
	}

	boolean sessionPresent() {
		return this.sessionPresent;
	}

	/** Stop taking messages off the socket until {@link #resumeReading()}. */
	void stopReading() {
		this.gate = new Semaphore(0);
	}

	void resumeReading() {
		Semaphore gate = this.gate;
		this.gate = null;
		if (gate != null) {
			gate.release();
		}
	}

	void subscribe(String filter, int qos) throws MqttException {
		IMqttToken token = this.client.subscribe(filter, qos);
		token.waitForCompletion(TIMEOUT_MILLIS);
		assertThat(token.getGrantedQos()).containsExactly(qos);
	}

	/** @return the SUBACK's return code for one filter: the granted QoS, or 0x80 when it was refused */
	int trySubscribe(String filter, int qos) throws MqttException {
		IMqttToken token = this.client.subscribe(filter, qos);
		token.waitForCompletion(TIMEOUT_MILLIS);
		return token.getGrantedQos()[0];
	}

	/**
	 * Publish {@code count} messages {@code prefix + i}, at most {@code window} unacknowledged at a time, and return
	 * once the broker has acknowledged every one (PUBACK, or PUBCOMP at QoS 2).
	 */
	void publish(String topic, int qos, String prefix, int count, int window, int size)
			throws MqttException, InterruptedException {
		Semaphore inflight = new Semaphore(window);
		AtomicReference<Throwable> failure = new AtomicReference<>();
		IMqttActionListener release = new IMqttActionListener() {

			@Override
			public void onSuccess(IMqttToken token) {
				inflight.release();
			}

			@Override
			public void onFailure(IMqttToken token, Throwable ex) {
				failure.compareAndSet(null, ex);
				inflight.release();
			}

		};
		for (int i = 0; i < count; i++) {
			assertThat(inflight.tryAcquire(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)).as("acknowledged in time").isTrue();
			assertThat(failure.get()).as("publish failure").isNull();
			MqttMessage message = new MqttMessage(payload(prefix + i, size));
			message.setQos(qos);
			this.client.publish(topic, message, null, release);
		}
		assertThat(inflight.tryAcquire(window, TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)).as("all acknowledged").isTrue();
		assertThat(failure.get()).as("publish failure").isNull();
	}

	/** Publish one retained message (an empty payload clears the topic's) and wait for its acknowledgement. */
	void publishRetained(String topic, int qos, String payload) throws MqttException {
		MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
		message.setQos(qos);
		message.setRetained(true);
		this.client.publish(topic, message).waitForCompletion(TIMEOUT_MILLIS);
	}

	private static byte[] payload(String text, int size) {
		byte[] id = text.getBytes(StandardCharsets.UTF_8);
		if (size <= id.length) {
			return id;
		}
		// Padded with spaces up to the size; counted by the text before them.
		byte[] padded = new byte[size];
		java.util.Arrays.fill(padded, (byte) ' ');
		System.arraycopy(id, 0, padded, 0, id.length);
		return padded;
	}

	/** @return how many times each payload (trimmed of its padding) arrived */
	Map<String, Integer> received() {
		Map<String, Integer> counts = new java.util.HashMap<>();
		this.received.forEach((payload, count) -> counts.merge(payload.strip(), count.get(), Integer::sum));
		return counts;
	}

	/** @return how many messages arrived, duplicates included */
	int total() {
		return this.total.get();
	}

	/** A clean DISCONNECT: what arrived has been acknowledged. */
	void disconnect() throws MqttException {
		this.client.disconnect().waitForCompletion(TIMEOUT_MILLIS);
	}

	@Override
	public void close() throws MqttException {
		resumeReading();
		if (this.client.isConnected()) {
			try {
				this.client.disconnectForcibly(1000, 1000);
			}
			catch (MqttException ex) {
				// gone already
			}
		}
		this.client.close(true);
	}

}
