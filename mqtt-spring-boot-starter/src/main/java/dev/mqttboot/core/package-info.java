/**
 * The MQTT vocabulary every other package of the starter shares: topic names and filters (syntax, matching, the
 * {@code $} rule), topic limits and protocol versions. It depends on no other package of the starter.
 */
@NullMarked
package dev.mqttboot.core;

import org.jspecify.annotations.NullMarked;
