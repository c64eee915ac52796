package dev.mqttboot.client;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A message a client connection received.
 *
 * @param topic the topic it was published to
 * @param payload the payload bytes
 * @param qos the QoS it was delivered at
 * @param retained whether it came from the broker's retained store
 * @param duplicate whether the broker marked it as a possible resend
 * @param messageId the MQTT packet id (0 for QoS 0)
 * @param userProperties MQTT 5 user properties (empty on MQTT 3.1.1)
 * @param contentType MQTT 5 content type, or {@code null}
 * @param responseTopic MQTT 5 response topic, or {@code null}
 * @param correlationData MQTT 5 correlation data, or {@code null}
 */
public record ReceivedMessage(String topic, byte[] payload, int qos, boolean retained, boolean duplicate,
		int messageId, Map<String, String> userProperties, @Nullable String contentType,
		@Nullable String responseTopic, byte @Nullable [] correlationData) {
}
