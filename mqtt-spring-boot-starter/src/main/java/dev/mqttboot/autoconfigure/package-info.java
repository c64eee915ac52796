/**
 * Spring Boot auto-configuration of the broker, the client connections, the listeners and their observability, with
 * the properties ({@link dev.mqttboot.autoconfigure.MqttProperties}), configurers, connection details and start-up
 * failure analysis.
 */
@NullMarked
package dev.mqttboot.autoconfigure;

import org.jspecify.annotations.NullMarked;
