package dev.mqttboot.brokerconsole;

import java.security.Principal;
import java.util.List;

import dev.mqttboot.broker.BrokerMessage;
import dev.mqttboot.broker.MqttBroker;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The retained messages under a filter (paged, with payload previews), and clearing one. */
@Controller
class TopicsController {

	private final MqttBroker broker;

	private final ConsoleProperties properties;

	TopicsController(MqttBroker broker, ConsoleProperties properties) {
		this.broker = broker;
		this.properties = properties;
	}

	@GetMapping("/console/topics")
	String topics(@RequestParam(name = "filter", defaultValue = "#") String filter,
			@RequestParam(name = "page", defaultValue = "1") int page, Model model) {
		model.addAttribute("filter", filter);
		try {
			List<RetainedRow> rows = this.broker.retainedMessages(filter)
				.stream()
				.map((message) -> new RetainedRow(message.topic(), message.qos(),
						PayloadPreview.of(message.payload(), this.properties.getPreviewBytes())))
				.toList();
			model.addAttribute("retained", Paging.of(rows, page, this.properties.getPageSize()));
		}
		catch (IllegalArgumentException | IllegalStateException ex) {
			// An invalid filter, or a broker that is not serving (stopped, a passive HA backup).
			model.addAttribute("error", ex.getMessage());
			model.addAttribute("retained", Paging.of(List.of(), 1, 1));
		}
		return "console/topics";
	}

	@PostMapping("/console/topics/clear")
	String clear(@RequestParam("topic") String topic, @RequestParam(name = "filter", defaultValue = "#") String filter,
			Principal user, RedirectAttributes redirect) {
		redirect.addAttribute("filter", filter);
		if (!this.broker.accessPolicy().allowsPublish(topic, user.getName(), LiveWatches.CONSOLE_CLIENT_ID)) {
			redirect.addFlashAttribute("error", "The access rules do not let '" + user.getName() + "' publish to '"
					+ topic + "'");
			return "redirect:/console/topics";
		}
		ConsoleAudit.action(user.getName(), "clear-retained", topic, "");
		try {
			// MQTT's own way: an empty retained message clears the topic's, on every node of a cluster.
			this.broker.publish(new BrokerMessage(topic, new byte[0], 0, true));
			redirect.addFlashAttribute("notice", "Cleared the retained message of '" + topic + "'");
		}
		catch (RuntimeException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
		}
		return "redirect:/console/topics";
	}

	/**
	 * A retained message as the topics page lists it.
	 *
	 * @param topic its topic
	 * @param qos its QoS
	 * @param payload its preview
	 */
	record RetainedRow(String topic, int qos, PayloadPreview payload) {
	}

}
