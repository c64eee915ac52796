package dev.mqttboot.listener;

import java.util.List;

import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;

import org.jspecify.annotations.Nullable;

/**
 * What one {@link MqttListener} method asks for, resolved and checked by the annotation post-processor: an immutable
 * description. A {@link MqttListenerContainerFactory} turns it into a running {@link MqttListenerContainer}.
 */
public final class MqttListenerEndpoint {

	private final String id;

	private final List<TopicTemplate> topics;

	private final int qos;

	private final String client;

	private final String group;

	private final int concurrency;

	private final boolean autoStartup;

	private final InvocableHandlerMethod handlerMethod;

	private final @Nullable MqttListenerErrorHandler errorHandler;

	private final @Nullable String sendTo;

	/**
	 * Describe a listener.
	 * @param id the listener id, unique in the application
	 * @param topics the topic templates ({@code sensors/{id}/temp})
	 * @param qos the subscription QoS
	 * @param client the name of the client connection whose settings it uses
	 * @param group the shared-subscription group, or empty
	 * @param concurrency how many messages it processes at once (1 keeps arrival order)
	 * @param autoStartup whether it starts with the application
	 * @param handlerMethod the method, ready to be invoked with a message
	 * @param errorHandler its own error handler, or {@code null} for the container factory's
	 * @param sendTo the reply topic template ({@code @SendTo}), or {@code null}
	 */
	public MqttListenerEndpoint(String id, List<TopicTemplate> topics, int qos, String client, String group,
			int concurrency, boolean autoStartup, InvocableHandlerMethod handlerMethod,
			@Nullable MqttListenerErrorHandler errorHandler, @Nullable String sendTo) {
		this.id = id;
		this.topics = List.copyOf(topics);
		this.qos = qos;
		this.client = client;
		this.group = group;
		this.concurrency = concurrency;
		this.autoStartup = autoStartup;
		this.handlerMethod = handlerMethod;
		this.errorHandler = errorHandler;
		this.sendTo = sendTo;
	}

	/** @return the endpoint id */
	public String id() {
		return this.id;
	}

	/** @return the topic templates as configured */
	public List<String> topics() {
		return this.topics.stream().map(TopicTemplate::template).toList();
	}

	/** @return the parsed topic templates */
	public List<TopicTemplate> topicTemplates() {
		return this.topics;
	}

	/** @return the filters subscribed to (with the {@code $share} prefix for a group) */
	public List<String> topicFilters() {
		return this.topics.stream().map(this::subscriptionFilter).toList();
	}

	/**
	 * The filter subscribed to for one template.
	 * @param template one of this endpoint's templates
	 * @return its filter, with the {@code $share/group/} prefix for a group
	 */
	public String subscriptionFilter(TopicTemplate template) {
		return this.group.isEmpty() ? template.filter() : "$share/" + this.group + "/" + template.filter();
	}

	/** @return the subscription QoS */
	public int qos() {
		return this.qos;
	}

	/** @return the client connection name */
	public String client() {
		return this.client;
	}

	/** @return the shared-subscription group, or empty */
	public String group() {
		return this.group;
	}

	/** @return how many messages are processed at once */
	public int concurrency() {
		return this.concurrency;
	}

	/** @return whether it starts with the application */
	public boolean autoStartup() {
		return this.autoStartup;
	}

	/** @return the method to invoke */
	public InvocableHandlerMethod handlerMethod() {
		return this.handlerMethod;
	}

	/** @return its own error handler, or {@code null} */
	public @Nullable MqttListenerErrorHandler errorHandler() {
		return this.errorHandler;
	}

	/** @return the reply topic template, or {@code null} */
	public @Nullable String sendTo() {
		return this.sendTo;
	}

	@Override
	public String toString() {
		return "MqttListenerEndpoint[" + this.id + " " + topicFilters() + " qos " + this.qos + " on '" + this.client
				+ "']";
	}

}
