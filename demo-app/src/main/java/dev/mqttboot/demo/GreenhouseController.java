package dev.mqttboot.demo;

import java.util.Map;

import dev.mqttboot.client.MqttOperations;
import dev.mqttboot.client.PublishOptions;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The REST API: current state per zone, and sending a command (published at QoS 2).
 */
@RestController
@RequestMapping("/api/zones")
class GreenhouseController {

	private final GreenhouseState state;

	private final MqttOperations mqtt;

	GreenhouseController(GreenhouseState state, MqttOperations mqtt) {
		this.state = state;
		this.mqtt = mqtt;
	}

	@GetMapping
	Map<String, GreenhouseState.Zone> zones() {
		return this.state.zones();
	}

	@GetMapping("/{zone}")
	ResponseEntity<GreenhouseState.Zone> zone(@PathVariable String zone) {
		GreenhouseState.Zone found = this.state.zones().get(zone);
		return (found != null) ? ResponseEntity.ok(found) : ResponseEntity.notFound().build();
	}

	@PostMapping("/{zone}/commands")
	ResponseEntity<Map<String, String>> command(@PathVariable String zone, @RequestBody Command command) {
		String topic = "greenhouse/" + zone + "/commands";
		this.mqtt.publish(topic, command.command(), PublishOptions.qos(2)).join();
		return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("topic", topic, "command", command.command()));
	}

	record Command(String command) {
	}

}
