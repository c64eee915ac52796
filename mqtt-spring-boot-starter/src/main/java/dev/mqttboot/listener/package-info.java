/**
 * {@code @MqttListener}: endpoints, the container factory, containers, the messaging adapter, acknowledgement,
 * retry, dead letters and error handlers.
 */
@NullMarked
package dev.mqttboot.listener;

import org.jspecify.annotations.NullMarked;
