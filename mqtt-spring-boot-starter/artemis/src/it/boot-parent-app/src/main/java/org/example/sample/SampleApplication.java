package org.example.sample;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import dev.mqttboot.listener.MqttListener;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.stereotype.Component;

/** A user's application: the embedded Artemis broker and one listener. */
@SpringBootApplication
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

	/** Keeps what it receives for the test to read. */
	@Component
	public static class Greetings {

		final BlockingQueue<String> received = new LinkedBlockingQueue<>();

		@MqttListener(topics = "greetings/{name}")
		public void greet(String payload) {
			this.received.add(payload);
		}

	}

}
