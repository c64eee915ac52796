package dev.mqttboot.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

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
 * MQTT 5 on Spring Integration's {@link Mqttv5ClientManager} (Eclipse Paho v5). As for MQTT 3.1.1, the manager owns
 * the client and {@link PahoConnection} drives connect and reconnect.
 */
final class PahoV5Client implements PahoClient {

	private static final Logger logger = LoggerFactory.getLogger(PahoV5Client.class);

	private static final int NOT_CONNECTED = 32104;

	/** Paho's own in-flight limit (for MQTT 5 also the broker's receive maximum). */
	private static final int MAX_INFLIGHT = 32202;

	private static final int CONNECT_IN_PROGRESS = 32110;

	private final String name;

	private final MqttConnectionOptions options;

	private final SharedClientManager manager;

	private final Callbacks callbacks;

	PahoV5Client(MqttConnectionSettings settings, MqttConnectionSettings.Address address,
			List<MqttConnectOptionsCustomizers.V5> customizers, Callbacks callbacks) {
		this.name = settings.name();
		this.callbacks = callbacks;
		MqttConnectionOptions connectOptions = connectionOptions(settings, address);
		customizers.forEach((customizer) -> customizer.customize(settings.name(), connectOptions));
		OwnedOptions.check(settings.name(), connectOptions.isAutomaticReconnect());
		SharedClientManager clientManager = new SharedClientManager(connectOptions, settings.clientId());
		OwnedOptions.configure(clientManager, settings);
		clientManager.start();
		this.options = connectOptions;
		this.manager = clientManager;
	}

	private static MqttConnectionOptions connectionOptions(MqttConnectionSettings settings,
			MqttConnectionSettings.Address address) {
		MqttConnectionOptions options = new MqttConnectionOptions();
		options.setServerURIs(address.urls().toArray(String[]::new));
		options.setAutomaticReconnect(false);
		options.setCleanStart(settings.cleanStart());
		if (settings.sessionExpiry() != null) {
			options.setSessionExpiryInterval(settings.sessionExpiry().toSeconds());
		}
		options.setKeepAliveInterval((int) settings.keepAlive().toSeconds());
		options.setConnectionTimeout((int) Math.max(1, settings.connectionTimeout().toSeconds()));
		options.setReceiveMaximum(settings.maxInflight());
		if (address.username() != null) {
			options.setUserName(address.username());
		}
		if (address.password() != null) {
			options.setPassword(address.password().getBytes(java.nio.charset.StandardCharsets.UTF_8));
		}
		if (settings.will() != null) {
			MqttMessage will = new MqttMessage(settings.will().payload());
			will.setQos(settings.will().qos());
			will.setRetained(settings.will().retained());
			options.setWill(settings.will().topic(), will);
		}
		if (address.sslBundle() != null) {
			options.setSocketFactory(BundleSocketFactory.following(settings, address.sslBundle()));
		}
		return options;
	}

	@Override
	public void connect(ConnectListener listener) {
		IMqttAsyncClient client = this.manager.getClient();
		if (client == null || client.isConnected()) {
			return;
		}
		try {
			client.connect(this.options, null, new MqttActionListener() {
				@Override
				public void onSuccess(IMqttToken token) {
					listener.connected(client.getCurrentServerURI(), token.getSessionPresent());
				}

				@Override
				public void onFailure(IMqttToken token, Throwable cause) {
					listener.failed(cause);
				}
			});
		}
		catch (MqttException ex) {
			if (ex.getReasonCode() != CONNECT_IN_PROGRESS) {
				listener.failed(ex);
			}
		}
	}

	@Override
	public boolean publish(PendingPublish publish) {
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
					publish.acknowledged();
				}

				@Override
				public void onFailure(IMqttToken token, Throwable cause) {
					publish.notAcknowledged(cause);
				}
			});
		}
		catch (MqttException ex) {
			if (ex.getReasonCode() == NOT_CONNECTED || ex.getReasonCode() == MAX_INFLIGHT) {
				return false;
			}
			publish.failed(ex);
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

	/** The Paho client, which exists once the connection has been started. */
	private IMqttAsyncClient client() {
		IMqttAsyncClient client = this.manager.getClient();
		if (client == null) {
			throw new IllegalStateException("The MQTT client has not been started");
		}
		return client;
	}

	@Override
	public void subscribe(String topicFilter, int qos, IntConsumer answer) {
		try {
			client().subscribe(topicFilter, qos, null, new MqttActionListener() {
				@Override
				public void onSuccess(IMqttToken token) {
					int[] codes = token.getReasonCodes();
					answer.accept((codes != null && codes.length > 0) ? codes[0] : 0x80);
				}

				@Override
				public void onFailure(IMqttToken token, Throwable cause) {
					int[] codes = (token != null) ? token.getReasonCodes() : null;
					answer.accept((codes != null && codes.length > 0) ? codes[0] : 0x80);
				}
			});
		}
		catch (MqttException ex) {
			logger.debug("Subscribe to '{}' not sent now ({}); it is made on the next connect", topicFilter,
					ex.getMessage());
		}
	}

	@Override
	public void unsubscribe(String topicFilter) {
		try {
			client().unsubscribe(topicFilter);
		}
		catch (MqttException ex) {
			logger.debug("Unsubscribe from '{}' failed: {}", topicFilter, ex.getMessage());
		}
	}

	@Override
	public void acknowledge(int messageId, int qos) {
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
	public void close() {
		this.manager.stop();
	}

	/**
	 * The client manager, through its protected API: it creates the client without connecting (Spring Integration
	 * offers no public way to), and reports disconnects and messages instead of only logging them.
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
			PahoV5Client.this.callbacks.connectionLost((response.getException() != null) ? response.getException()
					: new IllegalStateException("disconnected by the broker: " + response));
		}

		@Override
		public void mqttErrorOccurred(MqttException exception) {
			PahoV5Client.logger.warn("MQTT client '{}': protocol error: {}", PahoV5Client.this.name,
					exception.getMessage());
		}

		@Override
		public void messageArrived(String topic, MqttMessage message) {
			MqttProperties properties = message.getProperties();
			Map<String, String> user = new LinkedHashMap<>();
			if (properties != null && properties.getUserProperties() != null) {
				properties.getUserProperties().forEach((property) -> user.put(property.getKey(), property.getValue()));
			}
			PahoV5Client.this.callbacks.messageArrived(new ReceivedMessage(topic, message.getPayload(), message.getQos(), message.isRetained(),
					message.isDuplicate(), message.getId(), user,
					(properties != null) ? properties.getContentType() : null,
					(properties != null) ? properties.getResponseTopic() : null,
					(properties != null) ? properties.getCorrelationData() : null));
		}

	}

}
