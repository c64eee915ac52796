package dev.mqttboot.brokerservice;

import org.springframework.test.context.TestPropertySource;

/** {@link ConsoleBrowserTests} with broker-service on the Moquette engine. */
@TestPropertySource(properties = "mqtt.broker.engine=moquette")
class ConsoleBrowserMoquetteTests extends ConsoleBrowserTests {

}
