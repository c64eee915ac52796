/**
 * Test support for applications: an embedded broker on a random port ({@link
 * dev.mqttboot.test.AutoConfigureEmbeddedMqttBroker}) and a small client to publish and wait for messages ({@link
 * dev.mqttboot.test.MqttTestClient}).
 */
@NullMarked
package dev.mqttboot.test;

import org.jspecify.annotations.NullMarked;
