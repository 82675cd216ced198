package dev.twelvefactor.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The peers trusted to say, in {@code X-Forwarded-For} and {@code X-Forwarded-Proto}, who
 * the client is and how it reached them, written as Gunicorn's
 * {@code forwarded_allow_ips}: {@code *}, or IP addresses and CIDR networks separated by
 * commas.
 *
 * @param entries the addresses and networks as written, or {@code *} alone
 * @author twelvefactor
 */
public record ForwardedAllowIps(List<String> entries) {

	static final String ACCEPTED = "'*', or IP addresses and CIDR networks (10.0.0.0/8, fd00::/8) separated by "
			+ "commas";

	private static final String ANY = "*";

	/**
	 * What Tomcat's {@code RemoteIpValve} takes for any peer: a regular expression, so that
	 * the names a chain may hold are matched without being looked up.
	 */
	private static final String ANY_PEER = ".*";

	private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
			+ "(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");

	private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

	private static final Pattern PREFIX = Pattern.compile("[0-9]{1,3}");

	/**
	 * Gunicorn's default: the loopback addresses.
	 */
	static final ForwardedAllowIps DEFAULT = valueOf("127.0.0.1,::1");

	public ForwardedAllowIps {
		entries = List.copyOf(entries);
	}

	/**
	 * Return the trusted peers that a value, trimmed, stands for.
	 * @param value the value
	 * @return the trusted peers
	 * @throws IllegalArgumentException if the value is not one the setting accepts
	 */
	public static ForwardedAllowIps valueOf(String value) {
		List<String> entries = new ArrayList<>();
		for (String entry : value.split(",")) {
			String trimmed = entry.strip();
			if (trimmed.isEmpty()) {
				// As Gunicorn: empty entries are dropped
				continue;
			}
			if (ANY.equals(trimmed)) {
				return new ForwardedAllowIps(List.of(ANY));
			}
			check(trimmed);
			entries.add(trimmed);
		}
		if (entries.isEmpty()) {
			throw new InvalidValueException("no address");
		}
		return new ForwardedAllowIps(entries);
	}

	/**
	 * Check an address or network, without looking up any name: an IP literal, or one with
	 * a prefix length whose host bits are zero (Gunicorn refuses {@code 10.0.0.1/8} too).
	 */
	private static void check(String entry) {
		int slash = entry.indexOf('/');
		String address = (slash >= 0) ? entry.substring(0, slash) : entry;
		byte[] bytes = literal(address, entry);
		if (slash < 0) {
			return;
		}
		String prefix = entry.substring(slash + 1);
		int bits = bytes.length * 8;
		if (!PREFIX.matcher(prefix).matches() || Integer.parseInt(prefix) > bits) {
			throw new InvalidValueException("\"" + Values.escape(entry) + "\" has no prefix length from 0 to " + bits);
		}
		int length = Integer.parseInt(prefix);
		for (int bit = length; bit < bits; bit++) {
			if ((bytes[bit / 8] & (0x80 >> (bit % 8))) != 0) {
				throw new InvalidValueException("\"" + Values.escape(entry) + "\" has host bits set; the network is "
						+ network(bytes, length) + "/" + length);
			}
		}
	}

	private static byte[] literal(String address, String entry) {
		boolean ipv4 = IPV4.matcher(address).matches();
		if (!ipv4 && !IPV6.matcher(address).matches()) {
			throw new InvalidValueException("\"" + Values.escape(entry) + "\" is not an IP address or network");
		}
		try {
			// A literal: parsed, never looked up
			return InetAddress.getByName(address).getAddress();
		}
		catch (UnknownHostException ex) {
			throw new InvalidValueException("\"" + Values.escape(entry) + "\" is not an IP address or network");
		}
	}

	private static String network(byte[] address, int length) {
		byte[] network = address.clone();
		for (int bit = length; bit < network.length * 8; bit++) {
			network[bit / 8] &= (byte) ~(0x80 >> (bit % 8));
		}
		try {
			return InetAddress.getByAddress(network).getHostAddress();
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Return whether any peer is trusted ({@code *}).
	 * @return whether every peer is trusted
	 */
	public boolean isAny() {
		return this.entries.equals(List.of(ANY));
	}

	/**
	 * Return the trusted peers as Tomcat's {@code RemoteIpValve} takes its internal
	 * proxies: CIDR networks, an address being a network of one, or, for any peer, a
	 * regular expression matching everything.
	 * @return the internal proxies of the valve
	 */
	public String internalProxies() {
		if (isAny()) {
			return ANY_PEER;
		}
		List<String> networks = new ArrayList<>();
		for (String entry : this.entries) {
			networks.add((entry.indexOf('/') >= 0) ? entry : entry + ((entry.indexOf(':') >= 0) ? "/128" : "/32"));
		}
		return String.join(", ", networks);
	}

	@Override
	public String toString() {
		return String.join(",", this.entries);
	}

}
