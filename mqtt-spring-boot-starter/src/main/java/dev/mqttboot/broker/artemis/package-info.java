/**
 * The Apache ActiveMQ Artemis engine ({@code mqtt.broker.engine=artemis}): MQTT 3.1.1 and 5, a crash-safe journal,
 * paging. Wrapped through Artemis's own extension points: a security manager for users and access rules, MQTT
 * interceptors and a broker plugin for events; no Artemis type leaves this package.
 */
package dev.mqttboot.broker.artemis;
