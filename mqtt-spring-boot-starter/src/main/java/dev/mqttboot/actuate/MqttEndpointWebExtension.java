package dev.mqttboot.actuate;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;


/**
 * The {@code mqtt} endpoint over HTTP: {@code POST} for a listener id that does not exist answers 404, an action
 * other than pause, resume, stop or start 400.
 */
@EndpointWebExtension(endpoint = MqttEndpoint.class)
public class MqttEndpointWebExtension {

	private final MqttEndpoint endpoint;

	/**
	 * Create the extension.
	 * @param endpoint the endpoint it extends
	 */
	public MqttEndpointWebExtension(MqttEndpoint endpoint) {
		this.endpoint = endpoint;
	}

	/**
	 * Everything at once.
	 * @param securityContext the caller
	 * @return the description
	 */
	@ReadOperation
	public MqttEndpoint.MqttDescriptor mqtt(SecurityContext securityContext) {
		return this.endpoint.mqtt(securityContext);
	}

	/**
	 * Pause, resume, stop or start a listener.
	 * @param id the listener id
	 * @param action {@code pause}, {@code resume}, {@code stop} or {@code start}
	 * @return the listener afterwards, or 404
	 */
	@WriteOperation
	public WebEndpointResponse<MqttEndpoint.ListenerDescriptor> listener(@Selector String id, String action) {
		MqttEndpoint.ListenerDescriptor listener = this.endpoint.listener(id, action);
		return (listener != null) ? new WebEndpointResponse<>(listener)
				: new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
	}

}
