package dev.mqttboot.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The persistence directory ({@code mqtt.broker.persistence.directory}), checked the same way for every engine.
 */
public final class PersistenceDirectory {

	private PersistenceDirectory() {
	}

	/**
	 * Create the directory if needed and check that it can be used.
	 * @param directory the configured directory
	 * @return its absolute path
	 * @throws BrokerStartException naming {@code mqtt.broker.persistence.directory} when it cannot be used
	 */
	public static Path prepare(Path directory) {
		try {
			Files.createDirectories(directory);
		}
		catch (IOException | RuntimeException ex) {
			throw new BrokerStartException("mqtt.broker.persistence.directory",
					"The persistence directory " + directory + " cannot be created: " + ex.getMessage(),
					"Set mqtt.broker.persistence.directory to a writable directory", ex);
		}
		if (!Files.isDirectory(directory) || !Files.isWritable(directory) || !Files.isReadable(directory)) {
			throw new BrokerStartException("mqtt.broker.persistence.directory",
					"The persistence directory " + directory + " is not a readable and writable directory",
					"Set mqtt.broker.persistence.directory to a writable directory", null);
		}
		return directory.toAbsolutePath();
	}

}
