/**
 * Client connections and the template: {@link dev.mqttboot.client.MqttConnections}, each connection a reconnect
 * loop, a publish window, a subscription table and a dispatcher over Eclipse Paho (v3 or v5), and {@link
 * dev.mqttboot.client.MqttTemplate}.
 */
@NullMarked
package dev.mqttboot.client;

import org.jspecify.annotations.NullMarked;
