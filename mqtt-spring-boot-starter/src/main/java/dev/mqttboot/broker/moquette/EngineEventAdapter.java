package dev.mqttboot.broker.moquette;

import dev.mqttboot.broker.BrokerEvent;
import dev.mqttboot.broker.MessageWatchers;

import java.util.function.Consumer;

import io.moquette.interception.AbstractInterceptHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.moquette.interception.messages.InterceptPublishMessage;
import io.moquette.interception.messages.InterceptSubscribeMessage;
import io.moquette.interception.messages.InterceptUnsubscribeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns Moquette's interceptor callbacks into {@link BrokerEvent}s, and offers each accepted PUBLISH to the watches. Connects and disconnects are not taken from
 * here: the connection guard sees them first-hand (with the remote address and the real reason for each drop).
 */
final class EngineEventAdapter extends AbstractInterceptHandler {

	private static final Logger logger = LoggerFactory.getLogger(EngineEventAdapter.class);

	private final Consumer<BrokerEvent> events;

	private final MessageWatchers watchers;

	EngineEventAdapter(Consumer<BrokerEvent> events, MessageWatchers watchers) {
		this.events = events;
		this.watchers = watchers;
	}

	@Override
	public String getID() {
		return "mqtt-boot-events";
	}

	@Override
	public void onPublish(InterceptPublishMessage message) {
		try {
			ByteBuf payload = message.getPayload();
			this.watchers.offer(message.getTopicName(), message.getQos().value(), message.isRetainFlag(),
					() -> ByteBufUtil.getBytes(payload));
			this.events.accept(new BrokerEvent.MessagePublished(message.getClientID(), message.getTopicName(),
					message.getQos().value(), message.isRetainFlag(), message.getPayload().readableBytes()));
		}
		finally {
			// Moquette hands every interceptor its own retained duplicate of the payload.
			message.getPayload().release();
		}
	}

	@Override
	public void onSubscribe(InterceptSubscribeMessage message) {
		this.events.accept(new BrokerEvent.Subscribed(message.getClientID(), message.getTopicFilter(),
				message.getRequestedQos().value()));
	}

	@Override
	public void onUnsubscribe(InterceptUnsubscribeMessage message) {
		this.events.accept(new BrokerEvent.Unsubscribed(message.getClientID(), message.getTopicFilter()));
	}

	@Override
	public void onSessionLoopError(Throwable error) {
		logger.error("The broker engine failed while processing a client command; the clients served by that "
				+ "session loop are no longer served until the broker restarts", error);
		this.events.accept(new BrokerEvent.EngineFailure(error));
	}

}
