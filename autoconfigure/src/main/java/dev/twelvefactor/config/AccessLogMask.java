package dev.twelvefactor.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Names of the query parameters whose values the access log masks, compared in any case.
 *
 * @param names the names, in lower case; empty when nothing is masked
 * @author twelvefactor
 */
public record AccessLogMask(List<String> names) {

	static final AccessLogMask DEFAULT = valueOf("access_token,api_key,apikey,auth,client_secret,id_token,jwt,key,"
			+ "passwd,password,pwd,refresh_token,secret,sig,signature,token,x-amz-credential,x-amz-security-token,"
			+ "x-amz-signature,x-goog-credential,x-goog-signature");

	static final String ACCEPTED = "names of query parameters, separated by commas (any case), or 'none'";

	private static final int MAX_NAMES = 100;

	private static final int MAX_NAME_LENGTH = 100;

	public AccessLogMask {
		names = List.copyOf(names);
	}

	/**
	 * Return the names that a value, trimmed, lists.
	 * @param value the value
	 * @return the mask
	 * @throws IllegalArgumentException if the value is not a list of names
	 */
	public static AccessLogMask valueOf(String value) {
		if ("none".equalsIgnoreCase(Values.trim(value))) {
			return new AccessLogMask(List.of());
		}
		List<String> names = new ArrayList<>();
		for (String name : value.split(",", -1)) {
			String stripped = Values.trim(name);
			if (stripped.isEmpty()) {
				continue;
			}
			if (stripped.length() > MAX_NAME_LENGTH || !stripped.chars().allMatch(AccessLogMask::isNameCharacter)) {
				throw new InvalidValueException("not a list of query parameter names");
			}
			names.add(stripped.toLowerCase(Locale.ROOT));
		}
		if (names.isEmpty() || names.size() > MAX_NAMES) {
			throw new InvalidValueException("not a list of 1 to " + MAX_NAMES + " query parameter names");
		}
		return new AccessLogMask(names);
	}

	private static boolean isNameCharacter(int c) {
		return c > 0x20 && c < 0x7F && c != '=' && c != '&' && c != '#' && c != '"' && c != '\\';
	}

	@Override
	public String toString() {
		return this.names.isEmpty() ? "none" : String.join(",", this.names);
	}

}
