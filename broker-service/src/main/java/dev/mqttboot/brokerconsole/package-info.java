/**
 * broker-service's console: server-rendered pages on the management port where an operator sees the broker's
 * clients, subscriptions and retained messages, publishes a message and watches a filter live. Built only from the
 * broker interface ({@link dev.mqttboot.broker.MqttBroker}) and the broker's meters.
 */
package dev.mqttboot.brokerconsole;
