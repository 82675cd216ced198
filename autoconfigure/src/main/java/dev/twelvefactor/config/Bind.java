package dev.twelvefactor.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Address and port to listen on, parsed from Gunicorn's bind syntax: {@code host:port},
 * {@code [ipv6]:port} or {@code :port}.
 *
 * @param host the host as written, an IP literal or a resolvable name
 * @param port the port, 1 to 65535
 * @author twelvefactor
 */
public record Bind(String host, int port) {

	static final String ALL_IPV4_INTERFACES = "0.0.0.0";

	static final Bind DEFAULT = new Bind(ALL_IPV4_INTERFACES, 8000);

	static final String ACCEPTED = "host:port, [ipv6]:port or :port, with a port from 1 to 65535 and a host that is "
			+ "an IP address or a resolvable name";

	private static final Pattern BRACKETED = Pattern.compile("\\[([0-9A-Fa-f:.%a-zA-Z]+)]:([^:]*)");

	private static final Pattern PLAIN = Pattern.compile("([^:\\[\\]]*):([^:]*)");

	/**
	 * Return the address and port that a value, trimmed, stands for.
	 * @param value the value
	 * @return the bind
	 * @throws IllegalArgumentException if the value is not one the setting accepts
	 */
	public static Bind valueOf(String value) {
		Matcher bracketed = BRACKETED.matcher(value);
		Matcher plain = PLAIN.matcher(value);
		String host;
		String port;
		if (bracketed.matches()) {
			host = bracketed.group(1);
			port = bracketed.group(2);
		}
		else if (plain.matches()) {
			host = plain.group(1).isEmpty() ? ALL_IPV4_INTERFACES : plain.group(1);
			port = plain.group(2);
		}
		else {
			throw new InvalidValueException("not of the form host:port, [ipv6]:port or :port");
		}
		Bind bind = new Bind(host, parsePort(port));
		bind.address();
		return bind;
	}

	static int parsePort(String value) {
		return Values.parseWholeNumber(value, 1, 65535, "port");
	}

	/**
	 * Return the address to bind to, resolving the host if it is a name.
	 * @return the address
	 * @throws InvalidValueException if the host cannot be resolved
	 */
	InetAddress address() {
		try {
			return InetAddress.getByName(this.host);
		}
		catch (UnknownHostException | SecurityException ex) {
			throw new InvalidValueException("the host is not an IP address or a resolvable name");
		}
	}

	@Override
	public String toString() {
		return (this.host.indexOf(':') >= 0) ? "[" + this.host + "]:" + this.port : this.host + ":" + this.port;
	}

}
