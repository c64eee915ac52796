/**
 * Actuator support: the {@code mqtt} health contributor and the {@code mqtt} endpoint.
 */
@NullMarked
package dev.mqttboot.actuate;

import org.jspecify.annotations.NullMarked;
