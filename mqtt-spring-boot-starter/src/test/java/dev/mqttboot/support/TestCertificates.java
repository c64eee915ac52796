package dev.mqttboot.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A test CA and certificates it issues, made with {@code openssl} (as the committed ones under {@code tls/} were)
 * in a directory of the test: for tests that must rotate certificates, each with its own subject and validity.
 */
public final class TestCertificates {

	private final Path directory;

	private final String name;

	private TestCertificates(Path directory, String name) {
		this.directory = directory;
		this.name = name;
	}

	/**
	 * Make a CA.
	 * @param directory where its files go
	 * @param name its common name (and file prefix)
	 * @return the CA
	 */
	public static TestCertificates authority(Path directory, String name) throws Exception {
		RequiredTool.OPENSSL.assume();
		TestCertificates ca = new TestCertificates(directory, name);
		openssl(directory, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "3650", "-subj", "/CN=" + name,
				"-keyout", name + ".key", "-out", name + ".pem");
		return ca;
	}

	/** @return the CA certificate (PEM) */
	public Path certificate() {
		return this.directory.resolve(this.name + ".pem");
	}

	/**
	 * Issue a server certificate for {@code localhost} and {@code 127.0.0.1}.
	 * @param commonName its subject's common name (and file prefix)
	 * @param days how long it is valid
	 * @return its certificate and key files
	 */
	public Issued issue(String commonName, int days) throws Exception {
		Path extensions = this.directory.resolve(commonName + ".ext");
		Files.writeString(extensions, "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
		openssl(this.directory, "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + commonName, "-keyout",
				commonName + ".key", "-out", commonName + ".csr");
		openssl(this.directory, "x509", "-req", "-in", commonName + ".csr", "-CA", this.name + ".pem", "-CAkey",
				this.name + ".key", "-CAcreateserial", "-days", String.valueOf(days), "-extfile", extensions.toString(),
				"-out", commonName + ".pem");
		return new Issued(this.directory.resolve(commonName + ".pem"), this.directory.resolve(commonName + ".key"));
	}

	/**
	 * A certificate and its private key.
	 * @param certificate the PEM certificate
	 * @param key the PEM private key
	 */
	public record Issued(Path certificate, Path key) {

		/**
		 * Put these files where a bundle reads them, each replaced at once (as a renewal writes them).
		 * @param certificateFile the bundle's certificate file
		 * @param keyFile the bundle's key file
		 */
		public void installAs(Path certificateFile, Path keyFile) throws IOException {
			replace(this.key, keyFile);
			replace(this.certificate, certificateFile);
		}

	}

	/** Copy a file over another at once. */
	public static void replace(Path source, Path target) throws IOException {
		Path aside = target.resolveSibling(target.getFileName() + ".tmp");
		Files.copy(source, aside, StandardCopyOption.REPLACE_EXISTING);
		Files.move(aside, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
	}

	private static void openssl(Path directory, String... arguments) throws Exception {
		List<String> command = new ArrayList<>();
		command.add("openssl");
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as("openssl %s: %s", arguments[0], output).isZero();
	}

}
