package dev.mqttboot.brokerconsole;

import java.security.Principal;

import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** What every console page shows besides its own content: who is logged in, and how many live rows a page keeps. */
@ControllerAdvice(assignableTypes = { OverviewController.class, ClientsController.class, TopicsController.class,
		TryItController.class })
class ConsoleModel {

	private final ConsoleProperties properties;

	ConsoleModel(ConsoleProperties properties) {
		this.properties = properties;
	}

	@ModelAttribute
	void common(Principal user, Model model) {
		model.addAttribute("user", (user != null) ? user.getName() : "");
		model.addAttribute("keep", this.properties.getLiveBufferSize());
	}

}
