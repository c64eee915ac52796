package dev.mqttboot.test;

/**
 * Thrown by {@link MqttTestClient#connect(String, String, MqttTestOptions)} when the broker answers the CONNECT with a
 * refusal (an MQTT 3.1.1 CONNACK return code other than 0).
 */
public class MqttConnectRefusedException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	private final int returnCode;

	MqttConnectRefusedException(String url, int returnCode, Throwable cause) {
		super("The broker at " + url + " refused the connection with return code " + returnCode, cause);
		this.returnCode = returnCode;
	}

	/**
	 * The CONNACK return code: 1 unacceptable protocol version, 2 identifier rejected, 3 server unavailable, 4 bad
	 * user name or password, 5 not authorized.
	 * @return the return code
	 */
	public int returnCode() {
		return this.returnCode;
	}

}
