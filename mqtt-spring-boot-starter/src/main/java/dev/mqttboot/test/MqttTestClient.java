package dev.mqttboot.test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.TimeUnit;

import dev.mqttboot.core.TopicSyntax;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import org.springframework.core.env.Environment;

/**
 * A small MQTT client for tests: publish, subscribe, and wait for messages. It needs nothing beyond what the starter
 * already brings (Eclipse Paho), so it adds no test library to an application's runtime.
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

	private final MqttClient client;

	private final List<Received> received = new ArrayList<>();

	private MqttTestClient(MqttClient client) {
		this.client = client;
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
	 * Connect to a broker (anonymous, clean session, MQTT 3.1.1).
	 * @param url the broker URL
	 * @return a connected client
	 */
	public static MqttTestClient connect(String url) {
		try {
			MqttClient client = new MqttClient(url, "test-" + UUID.randomUUID().toString().substring(0, 8),
					new MemoryPersistence());
			MqttTestClient testClient = new MqttTestClient(client);
			client.setCallback(testClient.callback());
			MqttConnectOptions options = new MqttConnectOptions();
			options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
			options.setCleanSession(true);
			options.setConnectionTimeout(10);
			client.connect(options);
			return testClient;
		}
		catch (MqttException ex) {
			throw new IllegalStateException("Cannot connect to " + url + ": " + ex.getMessage(), ex);
		}
	}

	private MqttCallback callback() {
		return new MqttCallback() {
			@Override
			public void connectionLost(Throwable cause) {
			}

			@Override
			public void messageArrived(String topic, MqttMessage message) {
				synchronized (MqttTestClient.this.received) {
					MqttTestClient.this.received.add(new Received(topic, message.getPayload(), message.getQos(),
							message.isRetained()));
					MqttTestClient.this.received.notifyAll();
				}
			}

			@Override
			public void deliveryComplete(IMqttDeliveryToken token) {
			}
		};
	}

	/**
	 * The client id it connected with (random).
	 * @return the client id
	 */
	public String clientId() {
		return this.client.getClientId();
	}

	/**
	 * Subscribe at QoS 1 and wait for the broker's answer.
	 * @param filter the topic filter
	 * @return this client
	 */
	public MqttTestClient subscribe(String filter) {
		return subscribe(filter, 1);
	}

	/**
	 * Subscribe and wait for the broker's answer.
	 * @param filter the topic filter
	 * @param qos the QoS
	 * @return this client
	 */
	public MqttTestClient subscribe(String filter, int qos) {
		try {
			int granted = this.client.subscribeWithResponse(filter, qos).getGrantedQos()[0];
			if (granted > 2) {
				throw new IllegalStateException("The broker refused the subscription to " + filter);
			}
			return this;
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
		return publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false);
	}

	/**
	 * Publish and wait for the acknowledgement. When all of Paho's in-flight slots are taken (it frees them on its
	 * callback thread, a moment after a publish returns), it waits for one, up to {@value #SLOT_WAIT_SECONDS} s.
	 * @param topic the topic
	 * @param payload the payload
	 * @param qos the QoS
	 * @param retained whether the broker retains it
	 * @return this client
	 */
	public MqttTestClient publish(String topic, byte[] payload, int qos, boolean retained) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SLOT_WAIT_SECONDS);
		while (true) {
			try {
				this.client.publish(topic, payload, qos, retained);
				return this;
			}
			catch (MqttException ex) {
				if (ex.getReasonCode() != MqttException.REASON_CODE_MAX_INFLIGHT || System.nanoTime() > deadline) {
					throw new IllegalStateException("Cannot publish to " + topic + ": " + ex.getMessage(), ex);
				}
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
			}
		}
	}

	/** How long a publish waits for a free in-flight slot. */
	static final int SLOT_WAIT_SECONDS = 30;

	/**
	 * Wait until at least {@code count} messages on topics matching the filter have arrived.
	 * @param filter a topic filter (messages received through any subscription are considered)
	 * @param count how many
	 * @param timeout how long to wait
	 * @return the first {@code count} matching messages, in arrival order
	 * @throws AssertionError when they do not arrive in time
	 */
	public List<Received> awaitMessages(String filter, int count, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.received) {
			while (true) {
				List<Received> matching = this.received.stream()
					.filter((message) -> TopicSyntax.matches(filter, message.topic()))
					.toList();
				if (matching.size() >= count) {
					return matching.subList(0, count);
				}
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					throw new AssertionError("Expected " + count + " message(s) on '" + filter + "' within " + timeout
							+ " but got " + matching.size() + ": " + matching);
				}
				try {
					this.received.wait(Math.max(1, left / 1_000_000));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new AssertionError("Interrupted while waiting for messages on '" + filter + "'", ex);
				}
			}
		}
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

	@Override
	public void close() {
		try {
			if (this.client.isConnected()) {
				this.client.disconnect(2000);
			}
			this.client.close(true);
		}
		catch (MqttException ex) {
			// closing anyway
		}
	}

	/**
	 * A message the test client received.
	 * @param topic the topic
	 * @param payload the payload
	 * @param qos the QoS it was delivered at
	 * @param retained whether it came from the retained store
	 */
	public record Received(String topic, byte[] payload, int qos, boolean retained) {

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
