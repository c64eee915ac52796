/**
 * {@code @MqttListener}: endpoints, the container factory, containers, the messaging adapter, acknowledgement,
 * retry, dead letters and error handlers.
 */
package dev.mqttboot.listener;
