/**
 * Actuator support: the {@code mqtt} health contributor and the {@code mqtt} endpoint.
 */
package dev.mqttboot.actuate;
