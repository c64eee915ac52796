package dev.mqttboot.demo;

/**
 * Published when a reading crosses the alert threshold.
 *
 * @param zone the zone
 * @param sensor the sensor
 * @param value the reading
 * @param threshold the threshold it crossed
 */
public record Alert(String zone, String sensor, double value, double threshold) {
}
