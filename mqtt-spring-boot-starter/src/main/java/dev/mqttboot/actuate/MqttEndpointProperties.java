package dev.mqttboot.actuate;

import java.util.LinkedHashSet;
import java.util.Set;

import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the {@code mqtt} actuator endpoint, as Spring Boot has them for its {@code env} endpoint.
 */
@ConfigurationProperties("management.endpoint.mqtt")
public class MqttEndpointProperties {

	/**
	 * When client ids, user names, addresses and subscriptions are shown: never, when-authorized (to an authenticated
	 * caller with one of the roles, or any authenticated caller when no role is set) or always.
	 */
	private Show showValues = Show.NEVER;

	/**
	 * Roles that may see them with when-authorized; empty means any authenticated caller.
	 */
	private Set<String> roles = new LinkedHashSet<>();

	public Show getShowValues() {
		return this.showValues;
	}

	public void setShowValues(Show showValues) {
		this.showValues = showValues;
	}

	public Set<String> getRoles() {
		return this.roles;
	}

	public void setRoles(Set<String> roles) {
		this.roles = roles;
	}

}
