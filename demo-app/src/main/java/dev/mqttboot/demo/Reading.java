package dev.mqttboot.demo;

/**
 * A sensor reading as devices publish it (JSON).
 *
 * @param value the measured value
 * @param unit its unit, e.g. {@code C} or {@code %}
 */
public record Reading(double value, String unit) {
}
