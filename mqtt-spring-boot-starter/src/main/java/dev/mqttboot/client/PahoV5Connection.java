package dev.mqttboot.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.eclipse.paho.mqttv5.client.IMqttAsyncClient;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.integration.mqtt.core.Mqttv5ClientManager;

/**
 * An MQTT 5 connection on Spring Integration's {@link Mqttv5ClientManager} (Eclipse Paho v5). As for MQTT 3.1.1, the
 * manager owns the client and this connection drives connect and reconnect.
 */
final class PahoV5Connection extends AbstractPahoConnection {

	private static final Logger logger = LoggerFactory.getLogger(PahoV5Connection.class);

	private static final int NOT_CONNECTED = 32104;

	/** Paho's own in-flight limit (for MQTT 5 also the broker's receive maximum). */
	private static final int MAX_INFLIGHT = 32202;

	private static final int CONNECT_IN_PROGRESS = 32110;

	private final List<MqttConnectOptionsCustomizers.V5> customizers;

	private volatile MqttConnectionOptions options;

	private volatile SharedClientManager manager;

	PahoV5Connection(MqttConnectionSettings settings, Supplier<String> embeddedBrokerUrl, Consumer<Object> events,
			List<MqttConnectOptionsCustomizers.V5> customizers) {
		super(settings, embeddedBrokerUrl, events);
		this.customizers = List.copyOf(customizers);
	}

	private static MqttConnectionOptions connectionOptions(MqttConnectionSettings settings, List<String> urls) {
		MqttConnectionOptions options = new MqttConnectionOptions();
		options.setServerURIs(urls.toArray(String[]::new));
		options.setAutomaticReconnect(false);
		options.setCleanStart(settings.cleanStart());
		if (settings.sessionExpiry() != null) {
			options.setSessionExpiryInterval(settings.sessionExpiry().toSeconds());
		}
		options.setKeepAliveInterval((int) settings.keepAlive().toSeconds());
		options.setConnectionTimeout((int) Math.max(1, settings.connectionTimeout().toSeconds()));
		options.setReceiveMaximum(settings.maxInflight());
		if (settings.username() != null) {
			options.setUserName(settings.username());
		}
		if (settings.password() != null) {
			options.setPassword(settings.password().getBytes(java.nio.charset.StandardCharsets.UTF_8));
		}
		if (settings.will() != null) {
			MqttMessage will = new MqttMessage(settings.will().payload());
			will.setQos(settings.will().qos());
			will.setRetained(settings.will().retained());
			options.setWill(settings.will().topic(), will);
		}
		if (settings.sslBundle() != null) {
			options.setSocketFactory(settings.sslBundle().createSslContext().getSocketFactory());
		}
		return options;
	}

	/** The Spring Integration client manager behind this connection (for inbound adapters). */
	Mqttv5ClientManager clientManager() {
		return this.manager;
	}

	@Override
	void createClient(List<String> urls) {
		MqttConnectionOptions connectOptions = connectionOptions(this.settings, urls);
		this.customizers.forEach((customizer) -> customizer.customize(this.settings.name(), connectOptions));
		SharedClientManager clientManager = new SharedClientManager(connectOptions, this.settings.clientId());
		clientManager.setCompletionTimeout(this.settings.connectionTimeout().toMillis());
		// On stop, give in-flight work a moment rather than Paho's default 30 s.
		clientManager.setQuiescentTimeout(QUIESCE_MILLIS);
		// Messages are acknowledged when their handlers are done (at-least-once), not on arrival.
		clientManager.setManualAcks(true);
		clientManager.setDisconnectCompletionTimeout(DISCONNECT_MILLIS);
		clientManager.start();
		this.options = connectOptions;
		this.manager = clientManager;
	}

	@Override
	void connectAsync() {
		IMqttAsyncClient client = this.manager.getClient();
		if (client == null || client.isConnected()) {
			return;
		}
		try {
			client.connect(this.options, null, new MqttActionListener() {
				@Override
				public void onSuccess(IMqttToken token) {
					connectSucceeded(client.getCurrentServerURI(), token.getSessionPresent());
				}

				@Override
				public void onFailure(IMqttToken token, Throwable cause) {
					connectFailed(cause);
				}
			});
		}
		catch (MqttException ex) {
			if (ex.getReasonCode() != CONNECT_IN_PROGRESS) {
				connectFailed(ex);
			}
		}
	}

	@Override
	boolean send(PendingPublish publish) {
		IMqttAsyncClient client = this.manager.getClient();
		MqttMessage message = new MqttMessage(publish.payload());
		message.setQos(publish.qos());
		message.setRetained(publish.options().retained());
		message.setProperties(properties(publish.options()));
		try {
			if (client == null) {
				throw new MqttException(NOT_CONNECTED);
			}
			client.publish(publish.topic(), message, null, new MqttActionListener() {
				@Override
				public void onSuccess(IMqttToken token) {
					publish.future().complete(null);
				}

				@Override
				public void onFailure(IMqttToken token, Throwable cause) {
					publish.future().completeExceptionally(new MqttPublishException("Publish to '" + publish.topic()
							+ "' at QoS " + publish.qos() + " was not acknowledged: " + cause, cause));
				}
			});
		}
		catch (MqttException ex) {
			if (ex.getReasonCode() == NOT_CONNECTED || ex.getReasonCode() == MAX_INFLIGHT) {
				return false;
			}
			publish.future().completeExceptionally(
					new MqttPublishException("Publish to '" + publish.topic() + "' failed: " + ex, ex));
		}
		return true;
	}

	private static MqttProperties properties(PublishOptions options) {
		MqttProperties properties = new MqttProperties();
		if (!options.userProperties().isEmpty()) {
			List<UserProperty> user = new ArrayList<>();
			options.userProperties().forEach((name, value) -> user.add(new UserProperty(name, value)));
			properties.setUserProperties(user);
		}
		properties.setContentType(options.contentType());
		properties.setResponseTopic(options.responseTopic());
		properties.setCorrelationData(options.correlationData());
		if (options.messageExpiry() != null) {
			properties.setMessageExpiryInterval(options.messageExpiry().toSeconds());
		}
		return properties;
	}

	@Override
	void sendSubscribe(String topicFilter, int qos) {
		try {
			this.manager.getClient().subscribe(topicFilter, qos, null, new MqttActionListener() {
				@Override
				public void onSuccess(IMqttToken token) {
					int[] codes = token.getReasonCodes();
					subscriptionResult(topicFilter, (codes != null && codes.length > 0) ? codes[0] : 0x80);
				}

				@Override
				public void onFailure(IMqttToken token, Throwable cause) {
					int[] codes = (token != null) ? token.getReasonCodes() : null;
					subscriptionResult(topicFilter, (codes != null && codes.length > 0) ? codes[0] : 0x80);
				}
			});
		}
		catch (MqttException ex) {
			logger.debug("Subscribe to '{}' not sent now ({}); it is made on the next connect", topicFilter,
					ex.getMessage());
		}
	}

	@Override
	void sendUnsubscribe(String topicFilter) {
		try {
			this.manager.getClient().unsubscribe(topicFilter);
		}
		catch (MqttException ex) {
			logger.debug("Unsubscribe from '{}' failed: {}", topicFilter, ex.getMessage());
		}
	}

	@Override
	void acknowledge(int messageId, int qos) {
		if (qos == 0) {
			return;
		}
		try {
			var client = this.manager.getClient();
			if (client != null) {
				client.messageArrivedComplete(messageId, qos);
			}
		}
		catch (MqttException ex) {
			logger.debug("Acknowledgement of message {} not sent ({}); the broker will redeliver it", messageId,
					ex.getMessage());
		}
	}

	@Override
	void closeClient() {
		if (this.manager != null) {
			this.manager.stop();
		}
	}

	/**
	 * The shared client manager: creates the client without connecting, and reports disconnects and messages to this
	 * connection.
	 */
	private final class SharedClientManager extends Mqttv5ClientManager {

		SharedClientManager(MqttConnectionOptions options, String clientId) {
			super(options, clientId);
		}

		@Override
		public void start() {
			this.lock.lock();
			try {
				if (getClient() == null) {
					MqttAsyncClient client = new MqttAsyncClient(getUrl(), getClientId(), new MemoryPersistence());
					client.setManualAcks(isManualAcks());
					client.setCallback(this);
					setClient(client);
				}
			}
			catch (MqttException ex) {
				throw new IllegalStateException("Cannot create the MQTT client '" + getClientId() + "' for "
						+ getUrl() + ": " + ex.getMessage(), ex);
			}
			finally {
				this.lock.unlock();
			}
		}

		@Override
		public void disconnected(MqttDisconnectResponse response) {
			connectionLost((response.getException() != null) ? response.getException()
					: new IllegalStateException("disconnected by the broker: " + response));
		}

		@Override
		public void mqttErrorOccurred(MqttException exception) {
			PahoV5Connection.logger.warn("MQTT client '{}': protocol error: {}", name(), exception.getMessage());
		}

		@Override
		public void messageArrived(String topic, MqttMessage message) {
			super.messageArrived(topic, message);
			MqttProperties properties = message.getProperties();
			Map<String, String> user = new LinkedHashMap<>();
			if (properties != null && properties.getUserProperties() != null) {
				properties.getUserProperties().forEach((property) -> user.put(property.getKey(), property.getValue()));
			}
			dispatch(new ReceivedMessage(topic, message.getPayload(), message.getQos(), message.isRetained(),
					message.isDuplicate(), message.getId(), user,
					(properties != null) ? properties.getContentType() : null,
					(properties != null) ? properties.getResponseTopic() : null,
					(properties != null) ? properties.getCorrelationData() : null));
		}

	}

}
