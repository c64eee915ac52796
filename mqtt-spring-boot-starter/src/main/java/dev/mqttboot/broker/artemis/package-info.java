/**
 * The Apache ActiveMQ Artemis engine ({@code mqtt.broker.engine=artemis}): MQTT 3.1.1 and 5, a crash-safe journal,
 * paging, clustering. Wrapped through Artemis's own extension points: a security manager for users and access rules,
 * MQTT interceptors and broker plugins for events and repairs; no Artemis type leaves this package. The engine-neutral
 * rules of {@code broker.protocol} (packet rules, keep-alive ceiling, CONNECT deadline, the connection ledger) are
 * applied from {@code ArtemisEvents}. What is left here mends Artemis 2.53 where it departs from MQTT; each repair,
 * with the test that fails without it:
 * <table>
 * <caption>Repairs of the Artemis engine</caption>
 * <tr><th>Rule</th><th>Where</th><th>Test</th></tr>
 * <tr><td>order per publisher and topic [MQTT-4.6.0-6]</td><td>{@code SessionStorageContext}</td>
 * <td>{@code DeliveryOrderTests}</td></tr>
 * <tr><td>order through a quick reconnect (narrowed, not closed)</td><td>{@code ConsumerHandover}</td>
 * <td>{@code DeliveryOrderTests}</td></tr>
 * <tr><td>PUBRELs in the order of their PUBRECs</td><td>{@code ReleaseOrder}</td>
 * <td>{@code DeliveryOrderTests.aPahoSubscriberGetsQos2MessagesInTheOrderSent}</td></tr>
 * <tr><td>PUBREL resent right after CONNACK on reconnect [MQTT-4.4.0-1]</td><td>{@code ConformanceRepairs}</td>
 * <td>{@code Mqtt311ConformanceTests.aReconnectingPersistentSessionGetsItsUnacknowledgedPacketsAtOnceAndInOrder}</td></tr>
 * <tr><td>retained {@code $} messages not replayed to wildcard-first filters [MQTT-4.7.2-1]</td>
 * <td>{@code ConformanceRepairs}</td>
 * <td>{@code Mqtt311ConformanceTests.retainedDollarTopicsAreNotReplayedToWildcardFirstFilters}</td></tr>
 * <tr><td>a deny-read rule withholds deliveries and acknowledges them for the client (ours)</td>
 * <td>{@code ConformanceRepairs} with {@code AnsweredExchanges}</td>
 * <td>{@code Mqtt311ConformanceTests.aDenyRuleWithholdsItsTopicsFromWiderSubscriptionsWithoutStallingTheConnection}</td></tr>
 * <tr><td>failed login answered with return code 4 on MQTT 3.1.1</td><td>{@code ConformanceRepairs}</td>
 * <td>{@code BrokerSecurityTests.aWrongPasswordIsRefused}</td></tr>
 * <tr><td>keep-alive checked every 250 ms, not 2 s [MQTT-3.1.2-24]</td><td>{@code ArtemisEngineConfiguration}</td>
 * <td>{@code KeepAliveTests}</td></tr>
 * <tr><td>a zero-length client id with Clean Start 0 gets an assigned one (MQTT 5)</td>
 * <td>{@code AssignedClientIdentifiers}</td><td>{@code ArtemisMqtt5Tests}</td></tr>
 * <tr><td>each copy of a message carries only its subscription's identifier (MQTT 5) [MQTT-3.3.4-5]</td>
 * <td>{@code SubscriptionIdentifiers}</td><td>{@code ArtemisMqtt5Tests}</td></tr>
 * <tr><td>a connection that names no protocol is closed</td><td>{@code UnrecognisedConnections}</td>
 * <td>{@code ProtocolGuardTests.aPacketOtherThanConnectFirstClosesTheConnection}</td></tr>
 * <tr><td>retained messages are the whole cluster's (ours: Artemis keeps one on its node)</td>
 * <td>{@code ClusterRetainedMessages}</td><td>{@code ClusterIT}</td></tr>
 * <tr><td>a persistent session on any node (ours: Artemis keeps a session on its node)</td>
 * <td>{@code ClusterSessions}, {@code SessionDeparture}</td><td>{@code ClusterSessionsTests}</td></tr>
 * <tr><td>DISCONNECT 0x8E to a client taken over on another node (MQTT 5) [MQTT-3.1.4-3]</td>
 * <td>{@code ClusterTakeoverNotice}</td><td>{@code ClusterSessionsTests}</td></tr>
 * </table>
 * The same list, with what Artemis does in each case, is in {@code docs/artemis-engine.md}.
 */
@NullMarked
package dev.mqttboot.broker.artemis;

import org.jspecify.annotations.NullMarked;
