package dev.mqttboot.brokerconsole;

/**
 * A live watch the console does not open: the access rules refuse the filter to the user, the filter is invalid, or
 * too many watches are open. Answered with 403 and the reason.
 */
public class WatchRefusedException extends RuntimeException {

	/** @param message why */
	public WatchRefusedException(String message) {
		super(message);
	}

}
