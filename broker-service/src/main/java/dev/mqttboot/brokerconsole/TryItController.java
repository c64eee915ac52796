package dev.mqttboot.brokerconsole;

import java.nio.charset.StandardCharsets;
import java.security.Principal;

import dev.mqttboot.broker.BrokerMessage;
import dev.mqttboot.broker.MqttBroker;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** "Try it": publish a message as the management user, and watch a filter live. */
@Controller
class TryItController {

	private final MqttBroker broker;

	private final LiveWatches watches;

	TryItController(MqttBroker broker, LiveWatches watches) {
		this.broker = broker;
		this.watches = watches;
	}

	@GetMapping("/console/try")
	String page(@RequestParam(name = "filter", defaultValue = "#") String filter, Model model) {
		model.addAttribute("filter", filter);
		return "console/try";
	}

	@PostMapping("/console/publish")
	String publish(@RequestParam("topic") String topic, @RequestParam(name = "payload", defaultValue = "") String payload,
			@RequestParam(name = "qos", defaultValue = "0") int qos,
			@RequestParam(name = "retain", defaultValue = "false") boolean retain,
			@RequestParam(name = "filter", defaultValue = "#") String filter, Principal user,
			RedirectAttributes redirect) {
		redirect.addAttribute("filter", filter);
		BrokerMessage message;
		try {
			message = new BrokerMessage(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retain);
		}
		catch (IllegalArgumentException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
			return "redirect:/console/try";
		}
		if (!this.broker.accessPolicy().allowsPublish(topic, user.getName(), LiveWatches.CONSOLE_CLIENT_ID)) {
			redirect.addFlashAttribute("error", "The access rules do not let '" + user.getName() + "' publish to '"
					+ topic + "'");
			return "redirect:/console/try";
		}
		ConsoleAudit.action(user.getName(), "publish", topic,
				"qos=" + qos + " retain=" + retain + " bytes=" + message.payload().length);
		try {
			this.broker.publish(message);
			redirect.addFlashAttribute("notice", "Published " + message.payload().length + " bytes to '" + topic
					+ "' (QoS " + qos + (retain ? ", retained" : "") + ")");
		}
		catch (RuntimeException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
		}
		return "redirect:/console/try";
	}

	@GetMapping(path = "/console/watch", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	SseEmitter watch(@RequestParam("filter") String filter, Principal user) {
		return this.watches.open(filter, user.getName());
	}

	@ExceptionHandler(WatchRefusedException.class)
	ResponseEntity<String> refused(WatchRefusedException ex) {
		return ResponseEntity.status(HttpStatus.FORBIDDEN).contentType(MediaType.TEXT_PLAIN).body(ex.getMessage());
	}

}
