package dev.mqttboot.observation;

import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.SenderContext;

/**
 * The observation context of one {@code MqttTemplate} publish. Its carrier collects what a tracing handler injects
 * ({@code traceparent}, {@code tracestate}); over MQTT 5 those entries are sent as user properties.
 */
public class MqttPublishContext extends SenderContext<Map<String, String>> {

	private final String topic;

	private final String clientName;

	private final int qos;

	/**
	 * @param topic the topic published to
	 * @param clientName the configured connection name ({@code default} or a {@code mqtt.clients} key)
	 * @param qos the QoS of the publish
	 */
	public MqttPublishContext(String topic, String clientName, int qos) {
		super((carrier, key, value) -> {
			if (carrier != null) {
				carrier.put(key, value);
			}
		}, Kind.PRODUCER);
		this.topic = topic;
		this.clientName = clientName;
		this.qos = qos;
		setCarrier(new LinkedHashMap<>());
		setRemoteServiceName("mqtt");
	}

	/** @return the topic published to */
	public String getTopic() {
		return this.topic;
	}

	/** @return the configured connection name */
	public String getClientName() {
		return this.clientName;
	}

	/** @return the QoS of the publish */
	public int getQos() {
		return this.qos;
	}

}
