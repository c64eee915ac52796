package dev.mqttboot.support;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.SSLSocketFactory;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Eclipse Paho v3 clients for tests, recording every message they receive.
 */
public final class Paho implements AutoCloseable {

	private final MqttClient client;

	private final List<Received> received = new CopyOnWriteArrayList<>();

	private Paho(MqttClient client) {
		this.client = client;
	}

	public static Paho connect(String url, String clientId) throws MqttException {
		return connect(url, clientId, options());
	}

	public static MqttConnectOptions options() {
		MqttConnectOptions options = new MqttConnectOptions();
		options.setCleanSession(true);
		// Paho's default retries a refused MQTT 3.1.1 CONNECT as MQTT 3.1; tests want one attempt.
		options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
		options.setAutomaticReconnect(false);
		options.setConnectionTimeout(10);
		options.setKeepAliveInterval(30);
		// Paho frees an in-flight slot on its callback thread after the token completes: a synchronous publisher can
		// run ahead of that by a few slots on a busy machine, and would fail with 32202 under the default of 10.
		options.setMaxInflight(1000);
		return options;
	}

	public static MqttConnectOptions options(SSLSocketFactory socketFactory) {
		MqttConnectOptions options = options();
		options.setSocketFactory(socketFactory);
		return options;
	}

	public static Paho connect(String url, String clientId, MqttConnectOptions options) throws MqttException {
		MqttClient client = new MqttClient(url, clientId, new MemoryPersistence());
		Paho paho = new Paho(client);
		client.setCallback(new MqttCallback() {
			@Override
			public void connectionLost(Throwable cause) {
			}

			@Override
			public void messageArrived(String topic, MqttMessage message) {
				paho.received.add(new Received(topic, new String(message.getPayload(), StandardCharsets.UTF_8),
						message.getQos(), message.isRetained(), message.isDuplicate()));
			}

			@Override
			public void deliveryComplete(IMqttDeliveryToken token) {
			}
		});
		client.connect(options);
		return paho;
	}

	public MqttClient client() {
		return this.client;
	}

	public int subscribe(String filter, int qos) throws MqttException {
		return this.client.subscribeWithResponse(filter, qos).getGrantedQos()[0];
	}

	public void publish(String topic, String payload, int qos, boolean retained) throws MqttException {
		this.client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retained);
	}

	public List<Received> received() {
		return this.received;
	}

	public List<String> payloads() {
		return this.received.stream().map(Received::payload).toList();
	}

	@Override
	public void close() throws MqttException {
		if (this.client.isConnected()) {
			this.client.disconnect(2000);
		}
		this.client.close(true);
	}

	/** A message a client received. */
	public record Received(String topic, String payload, int qos, boolean retained, boolean duplicate) {
	}

}
