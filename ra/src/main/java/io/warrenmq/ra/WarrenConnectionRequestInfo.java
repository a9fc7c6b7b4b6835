package io.warrenmq.ra;

import jakarta.resource.spi.ConnectionRequestInfo;

/**
 * What an application asked for when it created a connection; managed connections match when these
 * are equal. Credentials are not checked yet, so only the user name is kept (the password never
 * is).
 *
 * @param userName the user name passed to {@code createConnection(user, password)}, or null
 */
public record WarrenConnectionRequestInfo(String userName) implements ConnectionRequestInfo {}
