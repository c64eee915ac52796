/**
 * The embedded broker behind one interface, whatever its engine: {@link dev.mqttboot.broker.MqttBroker}, its
 * settings, events, access policy, user credentials and message watches. The engines live in {@code
 * broker.moquette} and {@code broker.artemis}.
 */
@NullMarked
package dev.mqttboot.broker;

import org.jspecify.annotations.NullMarked;
