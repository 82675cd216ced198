package dev.twelvefactor.sample;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests written byte for byte, as a hostile client sends them, which an HTTP client
 * library would refuse to send.
 *
 * @author twelvefactor
 */
final class RawHttp {

	private RawHttp() {
	}

	/**
	 * Return a request with the given request line and one header field, on a connection to
	 * be closed after it.
	 * @param requestLine the request line, as sent
	 * @param header a header field, as sent
	 * @return the request's bytes
	 */
	static byte[] request(String requestLine, String header) {
		return bytes(requestLine + "\r\nHost: localhost\r\n" + header + "\r\nConnection: close\r\n\r\n");
	}

	/**
	 * Return the bytes of a string in which each character stands for one byte.
	 * @param latin1 the string
	 * @return its bytes
	 */
	static byte[] bytes(String latin1) {
		return latin1.getBytes(StandardCharsets.ISO_8859_1);
	}

	/**
	 * Send a request on a connection of its own and read until the server closes it,
	 * asserting that it answered something.
	 * @param port the server's port on 127.0.0.1
	 * @param request the request's bytes
	 * @throws IOException if the connection fails
	 */
	static void send(int port, byte[] request) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
			socket.setSoTimeout(10_000);
			OutputStream output = socket.getOutputStream();
			output.write(request);
			output.flush();
			InputStream input = socket.getInputStream();
			ByteArrayOutputStream response = new ByteArrayOutputStream();
			input.transferTo(response);
			assertThat(response.size()).isPositive();
		}
	}

}
