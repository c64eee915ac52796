package dev.mqttboot.bench;

import java.util.function.Consumer;

import dev.mqttboot.listener.MqttListener;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The starter as an application uses it, for scenarios 7 and 8: auto-configured client connection, template and
 * {@code @MqttListener} methods (with Actuator's metrics on, as in a real app), connected to the broker under test.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import(StarterBenchApp.Listeners.class)
public class StarterBenchApp {

	/** The JSON payload of scenario 7, converted by the starter's Jackson message converter. */
	public record Reading(long sequence, long sentNanos, int publisher, String pad) {
	}

	/** One listener per payload type and QoS; each hands the sequence number to the scenario's current sink. */
	public static class Listeners {

		private volatile Consumer<Long> sink = (sequence) -> {
		};

		void sink(Consumer<Long> sink) {
			this.sink = sink;
		}

		@MqttListener(id = "string-qos0", topics = "starter/7/string/0", qos = 0)
		void string0(String payload) {
			this.sink.accept(PayloadFormat.textSequence(payload));
		}

		@MqttListener(id = "string-qos1", topics = "starter/7/string/1", qos = 1)
		void string1(String payload) {
			this.sink.accept(PayloadFormat.textSequence(payload));
		}

		@MqttListener(id = "json-qos0", topics = "starter/7/json/0", qos = 0)
		void json0(Reading reading) {
			this.sink.accept(reading.sequence());
		}

		@MqttListener(id = "json-qos1", topics = "starter/7/json/1", qos = 1)
		void json1(Reading reading) {
			this.sink.accept(reading.sequence());
		}

	}

}
