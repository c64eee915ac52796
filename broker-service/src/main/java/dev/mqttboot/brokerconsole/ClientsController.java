package dev.mqttboot.brokerconsole;

import java.security.Principal;
import java.util.Comparator;
import java.util.List;

import dev.mqttboot.broker.BrokerSubscription;
import dev.mqttboot.broker.ConnectedClient;
import dev.mqttboot.broker.MqttBroker;
import dev.mqttboot.broker.SessionBacklog;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The clients page (searchable, paged), a client's page with its subscriptions, and disconnect. */
@Controller
class ClientsController {

	private final MqttBroker broker;

	private final ConsoleProperties properties;

	ClientsController(MqttBroker broker, ConsoleProperties properties) {
		this.broker = broker;
		this.properties = properties;
	}

	@GetMapping("/console/clients")
	String clients(@RequestParam(name = "q", defaultValue = "") String search,
			@RequestParam(name = "page", defaultValue = "1") int page, Model model) {
		String needle = search.strip();
		List<ConnectedClient> matching = this.broker.connectedClients()
			.stream()
			.filter((client) -> needle.isEmpty() || new ClientRow(client, null).matches(needle))
			.sorted(Comparator.comparing(ConnectedClient::clientId))
			.toList();
		Paging<ConnectedClient> shown = Paging.of(matching, page, this.properties.getPageSize());
		// The backlog is read for the rows shown only: on Moquette it is a round trip to each session's loop.
		List<ClientRow> rows = shown.rows()
			.stream()
			.map((client) -> new ClientRow(client, this.broker.backlog(client.clientId()).orElse(null)))
			.toList();
		model.addAttribute("q", needle);
		model.addAttribute("clients", new Paging<>(rows, shown.page(), shown.pages(), shown.total()));
		return "console/clients";
	}

	@GetMapping("/console/client")
	String client(@RequestParam("id") String clientId, Model model) {
		ConnectedClient connected = this.broker.connectedClients()
			.stream()
			.filter((client) -> client.clientId().equals(clientId))
			.findFirst()
			.orElse(null);
		List<BrokerSubscription> subscriptions = this.broker.subscriptions()
			.stream()
			.filter((subscription) -> subscription.clientId().equals(clientId))
			.sorted(Comparator.comparing(BrokerSubscription::topicFilter))
			.toList();
		if (connected == null && subscriptions.isEmpty()) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No client or session '" + clientId + "'");
		}
		SessionBacklog backlog = this.broker.backlog(clientId).orElse(null);
		model.addAttribute("clientId", clientId);
		model.addAttribute("row", (connected != null) ? new ClientRow(connected, backlog) : null);
		model.addAttribute("backlog", backlog);
		model.addAttribute("subscriptions", subscriptions);
		return "console/client";
	}

	@PostMapping("/console/client/disconnect")
	String disconnect(@RequestParam("id") String clientId, Principal user, RedirectAttributes redirect) {
		ConsoleAudit.action(user.getName(), "disconnect", clientId, "");
		boolean done = this.broker.disconnect(clientId);
		redirect.addFlashAttribute("notice", done ? "Disconnected '" + clientId + "'"
				: "'" + clientId + "' was not connected");
		redirect.addAttribute("id", clientId);
		return done ? "redirect:/console/clients" : "redirect:/console/client";
	}

}
