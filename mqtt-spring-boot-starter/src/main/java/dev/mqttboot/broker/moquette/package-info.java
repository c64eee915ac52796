/**
 * The Moquette 0.17 engine ({@code mqtt.broker.engine=moquette}): MQTT 3.1.1, small and quick. The starter binds the
 * listeners itself and applies the engine-neutral rules of {@code broker.protocol} in each connection's pipeline;
 * what is left here mends Moquette where it departs from MQTT or falls over. Each repair, with the test that fails
 * without it:
 * <table>
 * <caption>Repairs of the Moquette engine</caption>
 * <tr><th>Rule</th><th>Where</th><th>Test</th></tr>
 * <tr><td>a client that breaks the protocol loses its connection, never a shared session loop</td>
 * <td>{@code ConnectionGuard} with {@code PacketRules}</td>
 * <td>{@code ProtocolGuardTests}, {@code ProtocolFuzzTests}</td></tr>
 * <tr><td>packets sent before the CONNACK are processed, in order</td><td>{@code ConnectionGuard}</td>
 * <td>{@code ProtocolGuardTests.packetsSentBeforeTheConnackAreHeldAndProcessedInOrder}</td></tr>
 * <tr><td>DUP on a QoS 1 PUBLISH is informational [MQTT-3.3.1-3]</td><td>{@link PublishCopies}</td>
 * <td>{@code Mqtt311ConformanceTests.aReconnectingPersistentSessionGetsItsUnacknowledgedPacketsAtOnceAndInOrder}</td></tr>
 * <tr><td>a refused PUBLISH is acknowledged, so the client's window does not stall</td>
 * <td>{@link PublishAccess} with {@code AnsweredExchanges}</td>
 * <td>{@code Mqtt311ConformanceTests.aDenyWriteRuleDropsThePublish}</td></tr>
 * <tr><td>keep-alive: closed after 1.5x, in milliseconds, not rounded seconds [MQTT-3.1.2-24]</td>
 * <td>{@link KeepAliveEnforcement}, {@link IdleConnectionCloser}</td>
 * <td>{@code KeepAliveTests.aSilentClientIsClosedWithinHalfASecondOfOneAndAHalfTimesItsKeepAlive}</td></tr>
 * <tr><td>{@code $} topics never match a filter starting with a wildcard [MQTT-4.7.2-1]</td>
 * <td>{@code DollarTopicSubscriptions}</td>
 * <td>{@code Mqtt311ConformanceTests.dollarTopicsReachOnlyFiltersThatNameTheirFirstLevel}</td></tr>
 * <tr><td>a reconnecting persistent session gets its unacknowledged packets at once, in order, under their ids
 * [MQTT-4.4.0-1]</td><td>{@code DeliveryConformance}</td>
 * <td>{@code Mqtt311ConformanceTests.aReconnectingPersistentSessionGetsItsUnacknowledgedPacketsAtOnceAndInOrder}</td></tr>
 * <tr><td>retained replays carry RETAIN, live forwards do not; a retained QoS 0 message is stored
 * [MQTT-3.3.1-5, -8, -9]</td><td>{@code RetainedReplays}</td>
 * <td>{@code Mqtt311ConformanceTests.retainedReplaysCarryTheRetainFlagAtEveryQosAndLiveForwardsDoNot}</td></tr>
 * <tr><td>a deny-read rule withholds deliveries without stalling the subscriber (ours)</td>
 * <td>{@code DeliveryConformance}</td>
 * <td>{@code Mqtt311ConformanceTests.aDenyRuleWithholdsItsTopicsFromWiderSubscriptionsWithoutStallingTheConnection}</td></tr>
 * <tr><td>a bounded session queue; reading pauses while the session loops are congested</td>
 * <td>{@link BoundedSessionQueue}, {@link SessionLoopBackpressure}</td>
 * <td>{@code BackpressureTests}, {@code SessionLoopBackpressureTests}</td></tr>
 * <tr><td>a commit never meets a released payload (the store stays open after a crash)</td>
 * <td>{@link DetachedPayloadQueue}</td><td>{@code DetachedPayloadQueueTests}</td></tr>
 * </table>
 */
@NullMarked
package dev.mqttboot.broker.moquette;

import org.jspecify.annotations.NullMarked;
