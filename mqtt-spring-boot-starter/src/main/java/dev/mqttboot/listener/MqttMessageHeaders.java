package dev.mqttboot.listener;

import org.springframework.integration.mqtt.support.MqttHeaders;

/**
 * Header names of received MQTT messages, for {@code @Header} parameters (the same names Spring Integration uses).
 */
public final class MqttMessageHeaders {

	/** The topic the message was published to. */
	public static final String TOPIC = MqttHeaders.RECEIVED_TOPIC;

	/** The QoS it was delivered at. */
	public static final String QOS = MqttHeaders.RECEIVED_QOS;

	/** Whether it came from the broker's retained store. */
	public static final String RETAINED = MqttHeaders.RECEIVED_RETAINED;

	/** Whether the broker marked it as a possible resend. */
	public static final String DUPLICATE = MqttHeaders.DUPLICATE;

	/** The MQTT packet id. */
	public static final String MESSAGE_ID = MqttHeaders.ID;

	/** MQTT 5 response topic. */
	public static final String RESPONSE_TOPIC = MqttHeaders.RESPONSE_TOPIC;

	/** MQTT 5 correlation data ({@code byte[]}). */
	public static final String CORRELATION_DATA = MqttHeaders.CORRELATION_DATA;

	/** MQTT 5 user properties ({@code Map<String, String>}). */
	public static final String USER_PROPERTIES = "mqtt_userProperties";

	/** MQTT 5 content type. */
	public static final String CONTENT_TYPE = "mqtt_contentType";

	/** The values of the listener's topic variables ({@code Map<String, String>}). */
	public static final String TOPIC_VARIABLES = "mqtt_topicVariables";

	private MqttMessageHeaders() {
	}

}
