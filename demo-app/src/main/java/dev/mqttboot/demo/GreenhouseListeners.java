package dev.mqttboot.demo;

import dev.mqttboot.client.MqttOperations;
import dev.mqttboot.client.PublishOptions;
import dev.mqttboot.listener.MqttListener;
import dev.mqttboot.listener.TopicVariable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.messaging.handler.annotation.SendTo;
import org.springframework.stereotype.Component;

/**
 * The app's MQTT listeners: readings (JSON, typed topic variables) with an alert when a temperature crosses a
 * threshold, device status
 * (retained, with a last will that marks a device offline), and commands (QoS 2) answered with a reply.
 */
@Component
public class GreenhouseListeners {

	private static final Logger logger = LoggerFactory.getLogger(GreenhouseListeners.class);

	private final GreenhouseState state;

	private final MqttOperations mqtt;

	private final double threshold;

	GreenhouseListeners(GreenhouseState state, MqttOperations mqtt, @Value("${demo.temperature-alert-threshold:35}") double threshold) {
		this.state = state;
		this.mqtt = mqtt;
		this.threshold = threshold;
	}

	@MqttListener(topics = "greenhouse/{zone}/sensors/{sensor}", qos = 0, id = "readings",
			errorHandler = "demoErrorHandler")
	void reading(@TopicVariable("zone") String zone, @TopicVariable("sensor") String sensor, Reading reading) {
		this.state.zone(zone).reading(sensor, reading);
		if ("C".equals(reading.unit()) && reading.value() > this.threshold) {
			this.state.zone(zone).alert();
			this.mqtt.publish("greenhouse/" + zone + "/alerts", new Alert(zone, sensor, reading.value(), this.threshold),
					PublishOptions.qos(1));
			logger.info("Alert: {} in zone {} reads {} (threshold {})", sensor, zone, reading.value(), this.threshold);
		}
	}

	@MqttListener(topics = "greenhouse/{zone}/devices/{device}/status", id = "device-status")
	void deviceStatus(@TopicVariable("zone") String zone, @TopicVariable("device") String device, String status) {
		this.state.zone(zone).device(device, status);
	}

	@MqttListener(topics = "greenhouse/{zone}/commands", qos = 2, id = "commands")
	@SendTo("greenhouse/{zone}/replies")
	String command(@TopicVariable("zone") String zone, String command) {
		logger.info("Command for zone {}: {}", zone, command);
		return "done: " + command;
	}

	@MqttListener(topics = "greenhouse/{zone}/replies", id = "replies")
	void reply(@TopicVariable("zone") String zone, String reply) {
		this.state.zone(zone).reply(reply);
	}

}
