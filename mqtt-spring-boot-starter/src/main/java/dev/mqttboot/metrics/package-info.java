/**
 * Micrometer meters of the broker, the client connections and the listeners.
 */
@NullMarked
package dev.mqttboot.metrics;

import org.jspecify.annotations.NullMarked;
