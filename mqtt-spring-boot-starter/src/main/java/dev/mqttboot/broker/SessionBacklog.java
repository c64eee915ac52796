package dev.mqttboot.broker;

/**
 * What a client's session holds for it at one moment.
 *
 * @param inFlight QoS 1/2 messages sent to the client and not yet acknowledged by it
 * @param queued messages waiting for the client beyond those in flight (for a persistent session while it is away,
 * or behind a full in-flight window)
 */
public record SessionBacklog(long inFlight, long queued) {
}
