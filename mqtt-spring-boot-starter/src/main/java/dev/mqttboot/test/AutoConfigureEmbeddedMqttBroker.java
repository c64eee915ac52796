package dev.mqttboot.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.test.context.TestPropertySource;

/**
 * On a {@code @SpringBootTest}: run the embedded broker on a random loopback port, whatever the application's own
 * configuration says, with the client connections pointed at it. Connect a {@link MqttTestClient} with
 * {@code MqttTestClient.connect(environment)}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@TestPropertySource(properties = { "mqtt.broker.enabled=true", "mqtt.broker.host=127.0.0.1", "mqtt.broker.port=0",
		"mqtt.broker.websocket.port=", "mqtt.broker.ssl.port=", "mqtt.broker.ssl.websocket-port=",
		"mqtt.broker.persistence.enabled=false", "mqtt.client.url=" })
public @interface AutoConfigureEmbeddedMqttBroker {

}
