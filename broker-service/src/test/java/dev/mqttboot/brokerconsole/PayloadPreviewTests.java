package dev.mqttboot.brokerconsole;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A payload shows as text when it is UTF-8 text, as hex otherwise, cut at the preview size. */
class PayloadPreviewTests {

	@Test
	void utf8TextIsShownAsText() {
		assertThat(PayloadPreview.of("21.5 °C\n".getBytes(StandardCharsets.UTF_8), 256))
			.isEqualTo(new PayloadPreview("21.5 °C\n", false, 9, false));
	}

	@Test
	void binaryAndControlCharactersAreShownAsHex() {
		assertThat(PayloadPreview.of(new byte[] { 0, 1, (byte) 0xfe }, 256))
			.isEqualTo(new PayloadPreview("00 01 fe", true, 3, false));
		assertThat(PayloadPreview.of(new byte[] { 'a', 0x07, 'b' }, 256).hex()).isTrue();
	}

	@Test
	void aCutThroughAMultiByteCharacterStaysText() {
		byte[] payload = "aaa°°°".getBytes(StandardCharsets.UTF_8);
		PayloadPreview preview = PayloadPreview.of(payload, 4);
		assertThat(preview.hex()).isFalse();
		assertThat(preview.text()).isEqualTo("aaa");
		assertThat(preview.truncated()).isTrue();
		assertThat(preview.size()).isEqualTo(9);
	}

}
