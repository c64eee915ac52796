package dev.mqttboot.observation;

import java.util.Map;

import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;

/**
 * The observation context of one {@code @MqttListener} invocation. Its carrier is the message's MQTT 5 user
 * properties, where a tracing handler finds the publisher's {@code traceparent} and {@code tracestate}; an MQTT 3.1.1
 * message has none, so its invocation starts a trace of its own.
 */
public class MqttListenerContext extends ReceiverContext<Map<String, String>> {

	private final String topic;

	private final int qos;

	private final String listenerId;

	private final String clientName;

	/**
	 * @param topic the topic the message was published to
	 * @param qos the QoS it was delivered at
	 * @param userProperties its MQTT 5 user properties (empty on MQTT 3.1.1)
	 * @param listenerId the listener's id
	 * @param clientName the configured connection name the listener receives through
	 */
	public MqttListenerContext(String topic, int qos, Map<String, String> userProperties, String listenerId,
			String clientName) {
		super((carrier, key) -> carrier.get(key), Kind.CONSUMER);
		this.topic = topic;
		this.qos = qos;
		this.listenerId = listenerId;
		this.clientName = clientName;
		setCarrier(userProperties);
		setRemoteServiceName("mqtt");
	}

	/** @return the topic the message was published to */
	public String getTopic() {
		return this.topic;
	}

	/** @return the QoS it was delivered at */
	public int getQos() {
		return this.qos;
	}

	/** @return the listener's id */
	public String getListenerId() {
		return this.listenerId;
	}

	/** @return the configured connection name */
	public String getClientName() {
		return this.clientName;
	}

}
