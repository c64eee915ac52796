/**
 * The MQTT rules the broker enforces whatever its engine, on Netty's codec types, which both engines decode packets
 * into: which packets a client may send and when ({@link dev.mqttboot.broker.protocol.PacketRules}), the keep-alive
 * ceiling ({@link dev.mqttboot.broker.protocol.KeepAliveCeiling}), the CONNECT deadline
 * ({@link dev.mqttboot.broker.protocol.ConnectDeadline}), the acknowledgements the broker writes for a client whose
 * message it refuses or withholds ({@link dev.mqttboot.broker.protocol.AnsweredExchanges}), and the one ledger of
 * accepted connections and why each ended ({@link dev.mqttboot.broker.protocol.ConnectionLedger}). Each engine
 * package applies them at its own extension points (Moquette: pipeline handlers; Artemis: MQTT interceptors and a
 * connection plugin). Not an API for applications: the types are public only for the engine packages.
 */
@NullMarked
package dev.mqttboot.broker.protocol;

import org.jspecify.annotations.NullMarked;
