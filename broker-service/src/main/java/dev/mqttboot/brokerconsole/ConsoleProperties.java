package dev.mqttboot.brokerconsole;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The broker-service console: web pages on the management port, for the management user.
 */
@ConfigurationProperties("broker-service.console")
public class ConsoleProperties {

	/** Whether the console is served on the management port (at /console). */
	private boolean enabled = true;

	/** Rows shown on one page of the clients and retained-messages lists. */
	private int pageSize = 50;

	/** Messages a live watch keeps for its page: older ones are dropped, and counted, when the page falls behind. */
	private int liveBufferSize = 100;

	/** Payload bytes shown in a preview; the rest is summarised by its size. */
	private int previewBytes = 256;

	/** Live watches open at once, over all management sessions; one more is refused. */
	private int maxWatches = 8;

	/** @return whether the console is served */
	public boolean isEnabled() {
		return this.enabled;
	}

	/** @param enabled whether the console is served */
	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	/** @return rows per page */
	public int getPageSize() {
		return this.pageSize;
	}

	/** @param pageSize rows per page, at least 1 */
	public void setPageSize(int pageSize) {
		this.pageSize = atLeastOne("page-size", pageSize);
	}

	/** @return messages a live watch keeps */
	public int getLiveBufferSize() {
		return this.liveBufferSize;
	}

	/** @param liveBufferSize messages a live watch keeps, at least 1 */
	public void setLiveBufferSize(int liveBufferSize) {
		this.liveBufferSize = atLeastOne("live-buffer-size", liveBufferSize);
	}

	/** @return payload bytes shown in a preview */
	public int getPreviewBytes() {
		return this.previewBytes;
	}

	/** @param previewBytes payload bytes shown in a preview, at least 1 */
	public void setPreviewBytes(int previewBytes) {
		this.previewBytes = atLeastOne("preview-bytes", previewBytes);
	}

	/** @return live watches open at once */
	public int getMaxWatches() {
		return this.maxWatches;
	}

	/** @param maxWatches live watches open at once, at least 1 */
	public void setMaxWatches(int maxWatches) {
		this.maxWatches = atLeastOne("max-watches", maxWatches);
	}

	private static int atLeastOne(String name, int value) {
		if (value < 1) {
			throw new IllegalArgumentException(
					"broker-service.console." + name + " must be at least 1, not " + value);
		}
		return value;
	}

}
