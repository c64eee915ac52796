package dev.mqttboot.broker;

/**
 * A subscription the broker holds, for a connected client or a persistent session.
 *
 * @param clientId the subscriber's client identifier
 * @param topicFilter the topic filter
 * @param qos the QoS the subscriber asked for (and was granted), 0 to 2
 */
public record BrokerSubscription(String clientId, String topicFilter, int qos) {
}
