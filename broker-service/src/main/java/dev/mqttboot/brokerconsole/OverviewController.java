package dev.mqttboot.brokerconsole;

import java.lang.management.ManagementFactory;
import java.time.Duration;

import dev.mqttboot.broker.MqttBroker;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The console's first page: this node, its engine, uptime, load and traffic, and the cluster when clustered. */
@Controller
class OverviewController {

	private final MqttBroker broker;

	private final TrafficRates rates;

	private final Environment environment;

	OverviewController(MqttBroker broker, TrafficRates rates, Environment environment) {
		this.broker = broker;
		this.rates = rates;
		this.environment = environment;
	}

	@GetMapping({ "/console", "/console/" })
	String overview(Model model) {
		model.addAttribute("engine", this.environment.getProperty("mqtt.broker.engine", "moquette"));
		model.addAttribute("running", this.broker.isRunning());
		model.addAttribute("ports", this.broker.ports());
		model.addAttribute("uptime", uptime(Duration.ofMillis(ManagementFactory.getRuntimeMXBean().getUptime())));
		model.addAttribute("connections", this.broker.connectedClients().size());
		model.addAttribute("subscriptions", this.broker.subscriptionCount());
		model.addAttribute("rates", this.rates.current());
		model.addAttribute("cluster", this.broker.cluster().orElse(null));
		return "console/overview";
	}

	private static String uptime(Duration uptime) {
		long days = uptime.toDays();
		return ((days > 0) ? days + "d " : "") + String.format("%02d:%02d:%02d", uptime.toHoursPart(),
				uptime.toMinutesPart(), uptime.toSecondsPart());
	}

}
