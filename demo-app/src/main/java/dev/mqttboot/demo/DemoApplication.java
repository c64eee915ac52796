package dev.mqttboot.demo;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A greenhouse monitoring app on the MQTT starter. With no configuration it runs its own embedded broker;
 * {@code --mqtt.client.url=tcp://host:1883} points it at an external one.
 */
@SpringBootApplication
public class DemoApplication {

	/**
	 * Start the demo.
	 * @param args command-line arguments
	 */
	public static void main(String[] args) {
		SpringApplication.run(DemoApplication.class, args);
	}

}
